//! Crash safety: `coop serve` is killed with SIGKILL at random moments while members stream
//! votes and time entries over HTTP; after every kill the data directory is checked as it
//! was left (`coop journal verify`), the server is restarted on it, and every write the
//! server ACKNOWLEDGED (answered 2xx) must be there:
//!
//! - votes replace earlier votes: a voter's recorded choice is their last acknowledged one,
//!   or a later one whose answer was lost in the kill (it may or may not have committed);
//! - time entries are append-only: every acknowledged entry exists with its id and hours,
//!   no entry exists twice, and nothing the server refused was written;
//! - the journal holds exactly one entry per recorded vote write and per time entry;
//! - changes of a member's state (sealed legal records, written by an admin beside the
//!   members) are all there, in order, each sealed, and the seals verify.
//!
//! The kill points (and every choice the writers make) come from a seed, printed at the start;
//! rerun a failure with `COOP_CRASH_SEED=<seed> cargo test -p coop --test crash -- --nocapture`
//! (how far the writers get before each kill still depends on the machine's speed).

mod common;

use common::{add_member, coop as run_coop, init, Server};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// How many times the server is killed (and restarted).
const KILL_POINTS: usize = 5;
/// Members streaming writes at the same time.
const WORKERS: usize = 6;
/// The server is killed this long after the writers start, drawn from the seed.
const KILL_AFTER_MS: std::ops::Range<u64> = 150..1200;

/// splitmix64: a small, seedable generator, so a failing run can be replayed exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, r: std::ops::Range<u64>) -> u64 {
        r.start + self.below(r.end - r.start)
    }
}

fn seed() -> u64 {
    match std::env::var("COOP_CRASH_SEED") {
        Ok(s) => s.trim().parse().unwrap_or_else(|_| panic!("COOP_CRASH_SEED={s:?} is not a number")),
        Err(_) => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64,
    }
}

/// What became of one write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Answered 2xx: it must be in the database.
    Acked,
    /// No answer (the server died first): it may or may not be in the database.
    Lost,
    /// Answered with an error: it must not be in the database.
    Refused(u16),
}

#[derive(Clone, Debug)]
enum Write {
    Vote { choice: &'static str, outcome: Outcome },
    Hours { note: String, minutes: i64, date: String, id: Option<i64>, outcome: Outcome },
}

/// Sends one JSON request with a session cookie; `None` when no answer arrived.
async fn send(client: &reqwest::Client, method: reqwest::Method, url: &str, cookie: &str, body: Option<Value>) -> Option<(u16, String)> {
    let mut req = client.request(method, url).header("cookie", format!("coop_session={cookie}"));
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let res = req.send().await.ok()?;
    let status = res.status().as_u16();
    // The status line is the acknowledgement; the body may be cut by the kill.
    let text = res.text().await.unwrap_or_default();
    Some((status, text))
}

async fn must(client: &reqwest::Client, method: reqwest::Method, url: &str, cookie: &str, body: Option<Value>, want: u16) -> Value {
    let (status, text) = send(client, method.clone(), url, cookie, body).await.unwrap_or_else(|| panic!("{method} {url}: no answer"));
    assert_eq!(status, want, "{method} {url}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res = client.post(format!("{base}/api/v1/session")).json(&json!({"email": email, "password": password})).send().await.expect("sign-in");
    assert_eq!(res.status().as_u16(), 200, "sign-in of {email}");
    let cookie = res.headers().get("set-cookie").expect("a session cookie").to_str().unwrap().to_string();
    cookie.split(';').next().unwrap().strip_prefix("coop_session=").expect("coop_session").to_string()
}

/// A distinct day for the n-th entry of a member, so no day nears the 24-hour limit.
fn day(n: usize) -> String {
    format!("{}-{:02}-{:02}", 2000 + n / 336, (n / 28) % 12 + 1, n % 28 + 1)
}

/// One member's writes until the server stops answering.
async fn stream(base: String, cookie: String, proposal: i64, mut rng: Rng, worker: usize, round: usize, first_day: usize) -> Vec<Write> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let mut done = Vec::new();
    let mut n = 0;
    loop {
        let w = if rng.below(2) == 0 {
            let choice = ["yes", "no", "abstain"][rng.below(3) as usize];
            let answer = send(&client, reqwest::Method::POST, &format!("{base}/api/v1/proposals/{proposal}/votes"), &cookie, Some(json!({"choice": choice}))).await;
            let outcome = match answer {
                None => Outcome::Lost,
                Some((200, _)) => Outcome::Acked,
                Some((s, _)) => Outcome::Refused(s),
            };
            Write::Vote { choice, outcome }
        } else {
            let note = format!("crash r{round} w{worker} n{n}");
            let minutes = 15 * (1 + rng.below(16) as i64);
            let date = day(first_day + n);
            let hours = format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60);
            let body = json!({"date": date, "hours": hours, "note": note});
            let answer = send(&client, reqwest::Method::POST, &format!("{base}/api/v1/hours"), &cookie, Some(body)).await;
            let (outcome, id) = match answer {
                None => (Outcome::Lost, None),
                Some((201, text)) => {
                    // The status arrived; the body should too (it is small), but if the kill
                    // cut it, the entry is still acknowledged: it is then found by its note.
                    let id = serde_json::from_str::<Value>(&text).ok().and_then(|v| v["id"].as_i64());
                    (Outcome::Acked, id)
                }
                Some((s, _)) => (Outcome::Refused(s), None),
            };
            n += 1;
            Write::Hours { note, minutes, date, id, outcome }
        };
        let stop = matches!(w, Write::Vote { outcome: Outcome::Lost, .. } | Write::Hours { outcome: Outcome::Lost, .. });
        done.push(w);
        if stop {
            return done;
        }
    }
}

/// The record keeper's writes until the server stops answering: changes of state of one
/// member, each a sealed legal record, toggling between on_leave and member.
async fn record_states(base: String, cookie: String, member: i64) -> Vec<(String, Outcome)> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let url = format!("{base}/api/v1/members/{member}");
    let now = send(&client, reqwest::Method::GET, &url, &cookie, None).await.expect("the member, before the kill");
    assert_eq!(now.0, 200, "{}", now.1);
    let mut state = serde_json::from_str::<Value>(&now.1).unwrap()["state"].as_str().unwrap().to_string();
    let mut done = Vec::new();
    loop {
        let next = if state == "member" { "on_leave" } else { "member" };
        let answer = send(&client, reqwest::Method::POST, &format!("{url}/state"), &cookie, Some(json!({"state": next, "note": "crash test"}))).await;
        let outcome = match answer {
            None => Outcome::Lost,
            Some((200, _)) => Outcome::Acked,
            Some((s, _)) => Outcome::Refused(s),
        };
        done.push((next.to_string(), outcome));
        match outcome {
            Outcome::Acked => state = next.to_string(),
            _ => return done,
        }
    }
}

fn sqlite3(db: &Path, sql: &str) -> String {
    let tool = ["/usr/bin/sqlite3", "sqlite3"].into_iter().find(|t| Path::new(t).exists()).unwrap_or("sqlite3");
    let out = Command::new(tool)
        .arg(db)
        .arg(sql)
        .output()
        .unwrap_or_else(|e| panic!("this test reads the database with the sqlite3 command-line tool (apt-get install sqlite3): {e}"));
    assert!(out.status.success(), "sqlite3 {sql:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `coop journal verify` on the data directory: "ok <entries> <head>".
fn verify(data: &Path) -> i64 {
    let out = run_coop(data, &["journal", "verify"], None);
    let words: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"ok"), "journal verify: {out}");
    words[1].parse().expect("an entry count")
}

/// Every journal entry whose action starts with `action`, through the API.
async fn journal(client: &reqwest::Client, base: &str, cookie: &str, action: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let mut url = format!("{base}/api/v1/journal?action={action}&limit=1000");
        if let Some(b) = before {
            url.push_str(&format!("&before={b}"));
        }
        let page = must(client, reqwest::Method::GET, &url, cookie, None, 200).await;
        let page = page.as_array().expect("an array").clone();
        if page.is_empty() {
            return all;
        }
        before = page.iter().filter_map(|e| e["seq"].as_i64()).min();
        all.extend(page);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_votes_and_hours_survive_sigkill_at_random_points() {
    let seed = seed();
    println!("crash test seed: {seed} (rerun with COOP_CRASH_SEED={seed})");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    init(&data, "Crash Test Co-op");
    let admin = add_member(&data, "Ada Admin", "ada@example.org", "member", &["admin"], Some("ada-password-1"));
    let mut voters = Vec::new();
    for w in 0..WORKERS {
        voters.push(add_member(&data, &format!("Voter {w}"), &format!("voter{w}@example.org"), "member", &[], Some(&format!("voter-password-{w}"))));
    }
    // Sam's state is changed by the record keeper throughout; Sam never votes.
    let sam = add_member(&data, "Sam Sealed", "sam@example.org", "member", &[], None);
    let client = reqwest::Client::new();
    let mut server = Server::start(&data);
    let ada = sign_in(&client, &server.base, &admin.email, &admin.password).await;
    let rule = json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null});
    must(&client, reqwest::Method::PUT, &server.url("/api/v1/classes/ordinary"), &ada, Some(json!({"rule": rule, "results": "live"})), 200).await;
    // The admin never votes, so the proposal never closes early by everyone having voted.
    let p = must(&client, reqwest::Method::POST, &server.url("/api/v1/proposals"), &ada, Some(json!({"class": "ordinary", "title": "Keep the lights on"})), 201).await;
    let proposal = p["id"].as_i64().unwrap();
    // Sessions are stored (hashed) in the database, so the cookies outlive every restart.
    let mut cookies = Vec::new();
    for (w, v) in voters.iter().enumerate() {
        cookies.push(sign_in(&client, &server.base, &v.email, &format!("voter-password-{w}")).await);
    }

    let mut history: Vec<Vec<Write>> = vec![Vec::new(); WORKERS];
    let mut days_used = [0usize; WORKERS];
    let mut lost_total = 0;
    let mut states: Vec<(String, Outcome)> = Vec::new();
    for round in 0..KILL_POINTS {
        let mut tasks = Vec::new();
        for w in 0..WORKERS {
            let r = Rng(rng.next());
            tasks.push(tokio::spawn(stream(server.base.clone(), cookies[w].clone(), proposal, r, w, round, days_used[w])));
        }
        let recorder = tokio::spawn(record_states(server.base.clone(), ada.clone(), sam.id));
        let kill_after = rng.range(KILL_AFTER_MS);
        tokio::time::sleep(Duration::from_millis(kill_after)).await;
        drop(server); // Child::kill: SIGKILL on Unix, then wait.
        let mut acked = 0;
        for (w, t) in tasks.into_iter().enumerate() {
            let writes = t.await.expect("a writer");
            for x in &writes {
                match x {
                    Write::Hours { outcome, .. } => {
                        days_used[w] += 1;
                        assert!(!matches!(outcome, Outcome::Refused(_)), "every write is valid, so none may be refused (no 4xx, no 5xx): {x:?}");
                        if *outcome == Outcome::Acked {
                            acked += 1;
                        }
                    }
                    Write::Vote { outcome, .. } => {
                        assert!(!matches!(outcome, Outcome::Refused(_)), "every write is valid, so none may be refused (no 4xx, no 5xx): {x:?}");
                        if *outcome == Outcome::Acked {
                            acked += 1;
                        }
                    }
                }
                if matches!(x, Write::Vote { outcome: Outcome::Lost, .. } | Write::Hours { outcome: Outcome::Lost, .. }) {
                    lost_total += 1;
                }
            }
            history[w].extend(writes);
        }
        let changes = recorder.await.expect("the record keeper");
        for (state, outcome) in &changes {
            assert!(!matches!(outcome, Outcome::Refused(_)), "a valid change of state was refused: {state} {outcome:?}");
            if *outcome == Outcome::Acked {
                acked += 1;
            }
        }
        states.extend(changes);
        println!("kill point {}: SIGKILL after {kill_after} ms, {acked} writes acknowledged in this round", round + 1);

        // The directory as the kill left it: the journal's chain and seals verify.
        let entries = verify(&data);
        server = Server::start(&data);
        check(&client, &server, &data, &voters, &history, (proposal, &ada), entries).await;
        check_states(&client, &server, &ada, sam.id, &states).await;
    }
    let total: usize = history.iter().map(Vec::len).sum();
    let acked: usize = history
        .iter()
        .flatten()
        .filter(|w| matches!(w, Write::Vote { outcome: Outcome::Acked, .. } | Write::Hours { outcome: Outcome::Acked, .. }))
        .count();
    println!(
        "{KILL_POINTS} kill points, {total} votes and time entries sent, {acked} acknowledged, {lost_total} lost in flight; {} sealed changes of state sent",
        states.len()
    );
    assert!(acked >= KILL_POINTS * WORKERS, "the writers got going before each kill: {acked} acknowledged");
}

/// Everything acknowledged so far is in the restarted server's database, nothing twice.
async fn check(
    client: &reqwest::Client,
    server: &Server,
    data: &Path,
    voters: &[common::Account],
    history: &[Vec<Write>],
    (proposal, ada): (i64, &str),
    entries_at_kill: i64,
) {
    // Votes: the recorded choice is the last acknowledged one or a later lost one.
    let view = must(client, reqwest::Method::GET, &server.url(&format!("/api/v1/proposals/{proposal}")), ada, None, 200).await;
    assert_eq!(view["status"], "open", "{view}");
    let recorded: BTreeMap<i64, String> =
        view["votes"].as_array().expect("votes").iter().map(|v| (v["member_id"].as_i64().unwrap(), v["choice"].as_str().unwrap().to_string())).collect();
    let mut counted = 0;
    for (w, writes) in history.iter().enumerate() {
        let votes: Vec<(&str, Outcome)> = writes
            .iter()
            .filter_map(|x| match x {
                Write::Vote { choice, outcome } => Some((*choice, *outcome)),
                _ => None,
            })
            .collect();
        let last_ack = votes.iter().rposition(|(_, o)| *o == Outcome::Acked);
        let mut allowed: BTreeSet<Option<&str>> = BTreeSet::new();
        match last_ack {
            Some(i) => {
                allowed.insert(Some(votes[i].0));
            }
            None => {
                allowed.insert(None);
            }
        }
        for (c, o) in votes.iter().skip(last_ack.map_or(0, |i| i + 1)) {
            if *o == Outcome::Lost {
                allowed.insert(Some(*c));
            }
        }
        let got = recorded.get(&voters[w].id).map(String::as_str);
        assert!(allowed.contains(&got), "voter {w}: recorded {got:?}, allowed {allowed:?}; their votes {votes:?}");
        if got.is_some() {
            counted += 1;
        }
    }
    assert_eq!(recorded.len(), counted, "only the voters have votes: {recorded:?}");
    let tally = &view["tally"];
    let sum: i64 = ["yes", "no", "abstain"].iter().map(|k| tally[k].as_i64().unwrap_or(0)).sum();
    assert_eq!(sum as usize, recorded.len(), "the tally counts each voter once: {tally}");
    let acked_votes = history.iter().flatten().filter(|x| matches!(x, Write::Vote { outcome: Outcome::Acked, .. })).count();
    let lost_votes = history.iter().flatten().filter(|x| matches!(x, Write::Vote { outcome: Outcome::Lost, .. })).count();
    let vote_entries = journal(client, &server.base, ada, "proposal.vote").await.len();
    assert!(
        (acked_votes..=acked_votes + lost_votes).contains(&vote_entries),
        "one journal entry per recorded vote: {vote_entries} entries, {acked_votes} acknowledged, {lost_votes} lost"
    );

    // Time entries: append-only, every acknowledged one present with its hours, none twice.
    let db = data.join("coop.db");
    let rows = sqlite3(&db, "SELECT id, minutes, date, note FROM time_entries WHERE note LIKE 'crash %' ORDER BY id");
    let mut by_note: BTreeMap<String, (i64, i64, String)> = BTreeMap::new();
    for line in rows.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.splitn(4, '|').collect();
        let (id, minutes, date, note) = (f[0].parse::<i64>().unwrap(), f[1].parse::<i64>().unwrap(), f[2].to_string(), f[3].to_string());
        assert!(by_note.insert(note.clone(), (id, minutes, date)).is_none(), "the entry {note:?} exists twice");
    }
    let mut sent: BTreeMap<&str, (&Outcome, i64, &str, Option<i64>)> = BTreeMap::new();
    for x in history.iter().flatten() {
        if let Write::Hours { note, minutes, date, id, outcome } = x {
            sent.insert(note, (outcome, *minutes, date, *id));
            match (outcome, by_note.get(note)) {
                (Outcome::Acked, None) => panic!("acknowledged entry {note:?} (id {id:?}) is missing after the restart"),
                (Outcome::Acked, Some((got_id, got_minutes, got_date))) => {
                    assert_eq!((got_minutes, got_date.as_str()), (minutes, date.as_str()), "{note}");
                    if let Some(id) = id {
                        assert_eq!(got_id, id, "{note} keeps the id it was acknowledged with");
                    }
                }
                (Outcome::Refused(s), Some(_)) => panic!("{note:?} was refused ({s}) but written"),
                _ => {}
            }
        }
    }
    for note in by_note.keys() {
        assert!(sent.contains_key(note.as_str()), "an entry nobody sent: {note}");
    }
    let hour_entries = journal(client, &server.base, ada, "hours.log").await;
    let journalled: Vec<i64> = hour_entries.iter().map(|e| e["payload"]["entry"].as_i64().expect("entry id")).collect();
    let distinct: BTreeSet<i64> = journalled.iter().copied().collect();
    assert_eq!(journalled.len(), distinct.len(), "one hours.log journal entry per time entry");
    let stored: BTreeSet<i64> = by_note.values().map(|(id, _, _)| *id).collect();
    assert_eq!(distinct, stored, "the journal and the table hold the same entries");

    // The restarted server's journal verifies too, and nothing was lost between the
    // check after the kill and the restart.
    let report = must(client, reqwest::Method::GET, &server.url("/api/v1/journal/verify"), ada, None, 200).await;
    assert_eq!(report["ok"], true, "{report}");
    assert!(report["entries"].as_i64().unwrap() >= entries_at_kill, "{report} vs {entries_at_kill} entries after the kill");
}

/// Sam's history holds every acknowledged change of state, each sealed, in order.
async fn check_states(client: &reqwest::Client, server: &Server, ada: &str, sam: i64, states: &[(String, Outcome)]) {
    let detail = must(client, reqwest::Method::GET, &server.url(&format!("/api/v1/members/{sam}")), ada, None, 200).await;
    let history = detail["history"].as_array().expect("history");
    // The first state (from `member add`), then the changes that committed.
    let committed: Vec<&str> = history[1..].iter().map(|h| h["state"].as_str().unwrap()).collect();
    let acked = states.iter().filter(|(_, o)| *o == Outcome::Acked).count();
    let lost = states.iter().filter(|(_, o)| *o == Outcome::Lost).count();
    assert!((acked..=acked + lost).contains(&committed.len()), "{} changes recorded, {acked} acknowledged, {lost} lost: {committed:?}", committed.len());
    // The recorded changes are the ones sent, in order, with every acknowledged one kept and
    // each lost one either kept or not (a subsequence check, by dynamic programming).
    let (n, m) = (states.len(), committed.len());
    let mut fits = vec![vec![false; m + 1]; n + 1];
    fits[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let kept = j < m && states[i].0 == committed[j] && fits[i + 1][j + 1];
            let dropped = states[i].1 != Outcome::Acked && fits[i + 1][j];
            fits[i][j] = kept || dropped;
        }
    }
    assert!(fits[0][0], "the recorded changes are not the acknowledged ones in order (plus lost ones): sent {states:?}, recorded {committed:?}");
    for h in history {
        let sealed = h["sealed_hash"].as_str().unwrap_or("");
        assert!(sealed.len() == 64 && sealed.bytes().all(|b| b.is_ascii_hexdigit()), "every change of state is sealed: {h}");
    }
    assert_eq!(detail["state"].as_str(), committed.last().copied().or(Some("member")), "the state today is the last change: {detail}");
}
