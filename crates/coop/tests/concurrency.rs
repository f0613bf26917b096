//! Concurrency over HTTP: 40 members voting and logging time at once, admins editing the same
//! member's profile at once, and the command line writing beside the server, all against one
//! `coop serve` on SQLite. What must hold:
//!
//! - no 5xx and no refusal of a valid request (SQLite's single writer queues: a write waits
//!   for the write gate, or for the busy timeout when another process holds the lock);
//! - no double count: the tally equals the number of distinct voters, and each voter's
//!   recorded choice is the last one they sent;
//! - no lost update: the concurrent profile edits form one chain in the journal (each edit's
//!   `before` is the previous edit's `after`), and the member ends as the last edit left them;
//! - one journal entry per acknowledged write, and every acknowledged time entry counted once.
//!
//! The same load runs on PostgreSQL when `COOP_TEST_POSTGRES_URL` is set (`.ci/run` sets it):
//! the shared harness in `tests/common` removes `COOP_DATABASE_URL`, so this file starts its
//! own `coop serve` with `COOP_DATABASE_URL` on a fresh database. Without the variable, the
//! PostgreSQL test prints that it did not run and passes.

mod common;

use common::{coop_command, Account, TestCoop};
use std::io::{BufRead, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Members voting and logging time at the same moment.
const MEMBERS: usize = 40;
/// Admins editing one member's profile at the same moment.
const EDITORS: usize = 8;
/// Requests each member sends (votes, time entries and reads).
const OPS_PER_MEMBER: usize = 20;
/// Edits each admin sends.
const EDITS_PER_EDITOR: usize = 8;
/// Writes through the command line, beside the server, during the load.
const CLI_WRITES: usize = 8;
/// Argon2 takes 19 MiB a hash: at most this many sign-ins and additions in flight.
const SETUP_IN_FLIGHT: usize = 8;

#[derive(Clone)]
struct Caller {
    base: String,
    client: reqwest::Client,
    cookie: Option<String>,
}

impl Caller {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.client.request(method.clone(), format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("coop_session={c}"));
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.to_string());
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"));
        let status = res.status().as_u16();
        let text = res.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    #[track_caller]
    fn expect(answer: (u16, Value), want: u16, what: &str) -> Value {
        assert_eq!(answer.0, want, "{what}: {}", answer.1);
        answer.1
    }

    async fn sign_in(&self, who: &Account) -> Caller {
        let res = self.client.post(format!("{}/api/v1/session", self.base)).json(&json!({"email": who.email, "password": who.password})).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "sign-in of {}", who.email);
        let set = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        let cookie = set.split(';').next().unwrap().strip_prefix("coop_session=").unwrap().to_string();
        // Each signed-in caller gets its own client (its own connections), like 40 browsers.
        Caller { base: self.base.clone(), client: reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap(), cookie: Some(cookie) }
    }
}

/// Every journal entry whose action starts with `action`.
async fn journal(c: &Caller, action: &str) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let mut path = format!("/api/v1/journal?action={action}&limit=1000");
        if let Some(b) = before {
            path.push_str(&format!("&before={b}"));
        }
        let page = Caller::expect(c.send(reqwest::Method::GET, &path, None).await, 200, "journal");
        let page = page.as_array().unwrap().clone();
        if page.is_empty() {
            all.sort_by_key(|e| e["seq"].as_i64().unwrap());
            return all;
        }
        before = page.iter().filter_map(|e| e["seq"].as_i64()).min();
        all.extend(page);
    }
}

/// What one member's task did.
#[derive(Default)]
struct Done {
    member_id: i64,
    /// Every choice sent, in order (all acknowledged).
    votes: Vec<&'static str>,
    /// (id, minutes) of every time entry acknowledged.
    entries: Vec<(i64, i64)>,
    statuses: Vec<u16>,
}

fn day(n: usize) -> String {
    format!("2025-{:02}-{:02}", n / 28 + 1, n % 28 + 1)
}

/// Where the co-op under load keeps its data: the data directory, and the PostgreSQL URL
/// (`COOP_DATABASE_URL`) when it runs on PostgreSQL.
#[derive(Clone)]
struct Backend {
    data: PathBuf,
    url: Option<String>,
}

impl Backend {
    /// `coop --data DIR ARGS...` on this backend; panics unless it succeeds.
    fn cli(&self, args: &[&str], stdin: Option<&str>) -> String {
        let mut cmd = coop_command(&self.data);
        if let Some(url) = &self.url {
            cmd.env("COOP_DATABASE_URL", url);
        }
        let mut child = cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the coop binary");
        {
            let mut input = child.stdin.take().unwrap();
            if let Some(text) = stdin {
                input.write_all(text.as_bytes()).unwrap();
            }
        }
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "`coop {}` failed: {stdout}\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        stdout
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_members_writing_at_once_lose_nothing_and_count_nothing_twice() {
    let coop = TestCoop::start();
    let backend = Backend { data: coop.data(), url: None };
    load(&coop.server.base, &coop.admin, coop.member.id, &backend).await;
}

/// The same load on PostgreSQL, when `COOP_TEST_POSTGRES_URL` names a server (as `.ci/run`
/// sets it): a fresh database beside that one, `coop init` and `coop serve` with
/// `COOP_DATABASE_URL`, and the command line writing beside the server through the same URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_members_writing_at_once_on_postgresql() {
    let Some(base_url) = std::env::var("COOP_TEST_POSTGRES_URL").ok().filter(|s| !s.trim().is_empty()) else {
        println!("COOP_TEST_POSTGRES_URL is not set: the PostgreSQL run is skipped (the SQLite run above still ran)");
        return;
    };
    let db = PgDatabase::create(base_url.trim());
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend { data: dir.path().join("data"), url: Some(db.url.clone()) };
    backend.cli(&["init", "--name", "Postgres Co-op"], None);
    let add = |name: &str, email: &str, roles: &[&str], password: &str| -> Account {
        let mut args = vec!["member", "add", "--name", name, "--email", email, "--state", "member", "--json", "--password-stdin"];
        for r in roles {
            args.extend(["--role", r]);
        }
        let out = backend.cli(&args, Some(&format!("{password}\n")));
        let id = serde_json::from_str::<Value>(out.trim()).unwrap()["id"].as_i64().unwrap();
        Account { id, name: name.into(), email: email.into(), password: password.into() }
    };
    let admin = add("Ada Admin", "ada@example.org", &["admin"], "ada-password-1");
    let ben = add("Ben Baker", "ben@example.org", &[], "ben-password-1");
    let server = PgServer::start(&backend);
    load(&server.base, &admin, ben.id, &backend).await;
    drop(server);
}

/// A fresh PostgreSQL database beside the one `base` names, dropped afterwards (kept, and
/// named on stderr, when the test failed).
struct PgDatabase {
    base: String,
    name: String,
    url: String,
}

fn psql(url: &str, sql: &str) -> String {
    let out = std::process::Command::new("psql")
        .arg(url)
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql (needed for the PostgreSQL run): {e}"));
    assert!(out.status.success(), "psql -c {sql:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl PgDatabase {
    fn create(base: &str) -> PgDatabase {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!("coop_load_{}_{nanos}", std::process::id());
        psql(base, &format!("CREATE DATABASE {name}"));
        let (without_query, query) = match base.split_once('?') {
            Some((u, q)) => (u, format!("?{q}")),
            None => (base, String::new()),
        };
        let authority = without_query.find("://").expect("a URL") + 3;
        let path_start = without_query[authority..].find('/').map(|i| authority + i).unwrap_or(without_query.len());
        let url = format!("{}/{name}{query}", &without_query[..path_start]);
        PgDatabase { base: base.to_string(), name, url }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the PostgreSQL database of the failed test: {}", self.url);
            return;
        }
        psql(&self.base, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}

/// `coop serve` on PostgreSQL (the shared harness removes `COOP_DATABASE_URL`), killed on drop.
struct PgServer {
    base: String,
    child: Child,
}

impl PgServer {
    fn start(backend: &Backend) -> PgServer {
        let mut cmd = coop_command(&backend.data);
        cmd.env("COOP_DATABASE_URL", backend.url.as_deref().expect("a PostgreSQL URL"));
        let mut child = cmd.args(["serve", "--addr", "127.0.0.1:0"]).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("coop serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().and_then(Result::ok).unwrap_or_else(|| panic!("coop serve on PostgreSQL did not start"));
            if let Some((_, url)) = line.strip_prefix("coop is serving ").and_then(|r| r.rsplit_once(" at ")) {
                break url.trim_end_matches('/').to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
        PgServer { base, child }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The load and its checks, on whichever backend serves `base`.
async fn load(base: &str, admin: &Account, ben_id: i64, backend: &Backend) {
    let anon = Caller { base: base.to_string(), client: reqwest::Client::new(), cookie: None };
    let ada = anon.sign_in(admin).await;
    let rule = json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null});
    Caller::expect(ada.send(reqwest::Method::PUT, "/api/v1/classes/ordinary", Some(json!({"rule": rule, "results": "live"}))).await, 200, "class");

    // Setup: members and admin editors, added over the API and signed in.
    let gate = Arc::new(tokio::sync::Semaphore::new(SETUP_IN_FLIGHT));
    let mut adding = tokio::task::JoinSet::new();
    for i in 0..MEMBERS + EDITORS {
        let (ada, anon, gate) = (ada.clone(), anon.clone(), gate.clone());
        adding.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let editor = i >= MEMBERS;
            let (name, email, password) = (format!("Person {i:02}"), format!("person{i:02}@example.org"), format!("person-password-{i:02}"));
            let roles: Vec<&str> = if editor { vec!["admin"] } else { vec![] };
            let body = json!({"name": name, "email": email, "state": "member", "password": password, "roles": roles});
            let added = Caller::expect(ada.send(reqwest::Method::POST, "/api/v1/members", Some(body)).await, 201, "add a member");
            let account = Account { id: added["id"].as_i64().unwrap(), name, email, password };
            (editor, account.id, anon.sign_in(&account).await)
        });
    }
    let (mut members, mut editors) = (Vec::new(), Vec::new());
    while let Some(done) = adding.join_next().await {
        let (editor, id, caller) = done.unwrap();
        if editor {
            editors.push(caller);
        } else {
            members.push((id, caller));
        }
    }
    // Ada, Ben and the editors never vote, so the proposal cannot close early.
    let p = Caller::expect(
        ada.send(reqwest::Method::POST, "/api/v1/proposals", Some(json!({"class": "ordinary", "title": "Open a second shop"}))).await,
        201,
        "proposal",
    );
    let proposal = p["id"].as_i64().unwrap();
    let head_before = journal(&ada, "").await.last().unwrap()["seq"].as_i64().unwrap();

    // The load: everyone starts at the same moment.
    let started = Instant::now();
    let barrier = Arc::new(tokio::sync::Barrier::new(MEMBERS + EDITORS + 1));
    let mut member_tasks = tokio::task::JoinSet::new();
    for (k, (id, caller)) in members.iter().cloned().enumerate() {
        let barrier = barrier.clone();
        member_tasks.spawn(async move {
            barrier.wait().await;
            let mut done = Done { member_id: id, ..Done::default() };
            for op in 0..OPS_PER_MEMBER {
                match (op + k) % 3 {
                    // The first request of everyone is a vote, so everyone is counted.
                    _ if op == 0 => {}
                    0 => {}
                    1 => {
                        let minutes = 15 * (1 + ((op * 7 + k) % 12) as i64);
                        let hours = format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60);
                        let body = json!({"date": day(op), "hours": hours, "note": format!("load {k} {op}")});
                        let (s, v) = caller.send(reqwest::Method::POST, "/api/v1/hours", Some(body)).await;
                        done.statuses.push(s);
                        if s == 201 {
                            done.entries.push((v["id"].as_i64().unwrap(), minutes));
                        }
                        continue;
                    }
                    _ => {
                        let (s, _) = caller.send(reqwest::Method::GET, &format!("/api/v1/proposals/{proposal}"), None).await;
                        done.statuses.push(s);
                        continue;
                    }
                }
                let choice = ["yes", "no", "abstain"][(op * 5 + k) % 3];
                let (s, _) = caller.send(reqwest::Method::POST, &format!("/api/v1/proposals/{proposal}/votes"), Some(json!({"choice": choice}))).await;
                done.statuses.push(s);
                if s == 200 {
                    done.votes.push(choice);
                }
            }
            done
        });
    }
    let mut editor_tasks = tokio::task::JoinSet::new();
    for (e, caller) in editors.iter().cloned().enumerate() {
        let barrier = barrier.clone();
        editor_tasks.spawn(async move {
            barrier.wait().await;
            let mut acked = Vec::new();
            let mut statuses = Vec::new();
            for i in 0..EDITS_PER_EDITOR {
                // Half the editors change the name, half the email: a lost update would show as
                // an edit that silently reverts the other field.
                let body = if e % 2 == 0 { json!({"name": format!("Ben edit {e}-{i}")}) } else { json!({"email": format!("ben.{e}.{i}@example.org")}) };
                let (s, _) = caller.send(reqwest::Method::PATCH, &format!("/api/v1/members/{ben_id}"), Some(body.clone())).await;
                statuses.push(s);
                if s == 200 {
                    acked.push(body);
                }
            }
            (acked, statuses)
        });
    }
    // The command line writes beside the server: its writes wait for the lock, and so do the
    // server's.
    let cli_backend = backend.clone();
    let cli = tokio::task::spawn_blocking(move || {
        for i in 0..CLI_WRITES {
            cli_backend.cli(&["hours", "log", "--member", "ada@example.org", "--date", &day(100 + i), "--hours", "1.25", "--note", &format!("cli {i}")], None);
        }
    });
    barrier.wait().await;

    let mut statuses: Vec<u16> = Vec::new();
    let mut dones = Vec::new();
    while let Some(d) = member_tasks.join_next().await {
        let d = d.expect("a member task");
        statuses.extend(&d.statuses);
        dones.push(d);
    }
    let mut edits = Vec::new();
    while let Some(d) = editor_tasks.join_next().await {
        let (acked, s) = d.expect("an editor task");
        statuses.extend(&s);
        edits.extend(acked);
    }
    cli.await.expect("the command line wrote beside the server");
    let elapsed = started.elapsed();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for s in &statuses {
        *by_status.entry(*s).or_default() += 1;
    }
    println!(
        "{} clients, {} requests in {:.2?} ({:.0}/s), {CLI_WRITES} CLI writes beside them; statuses {by_status:?}",
        MEMBERS + EDITORS,
        statuses.len(),
        elapsed,
        statuses.len() as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(statuses.len(), MEMBERS * OPS_PER_MEMBER + EDITORS * EDITS_PER_EDITOR);
    assert!(statuses.iter().all(|s| *s < 500), "no 5xx under load: {by_status:?}");
    assert!(statuses.iter().all(|s| [200, 201].contains(s)), "every valid request succeeds under load (queued, not refused): {by_status:?}");

    // No double count: the tally is the number of distinct voters; each has their last choice.
    let view = Caller::expect(ada.send(reqwest::Method::GET, &format!("/api/v1/proposals/{proposal}"), None).await, 200, "proposal");
    assert_eq!(view["status"], "open");
    assert_eq!(view["turnout"], MEMBERS as i64, "{view}");
    let tally = &view["tally"];
    let sum: i64 = ["yes", "no", "abstain"].iter().map(|k| tally[k].as_i64().unwrap()).sum();
    assert_eq!(sum, MEMBERS as i64, "the tally counts each voter once: {tally}");
    let recorded: BTreeMap<i64, String> = view["votes"].as_array().unwrap().iter().map(|v| (v["member_id"].as_i64().unwrap(), v["choice"].as_str().unwrap().to_string())).collect();
    let mut expected_tally: BTreeMap<&str, i64> = BTreeMap::new();
    for d in &dones {
        let last = *d.votes.last().expect("everyone voted");
        assert_eq!(recorded.get(&d.member_id).map(String::as_str), Some(last), "member {}'s last vote", d.member_id);
        *expected_tally.entry(last).or_default() += 1;
    }
    for (choice, n) in &expected_tally {
        assert_eq!(tally[*choice].as_i64().unwrap(), *n, "{choice}: {tally}");
    }

    // One journal entry per acknowledged write.
    let since = |entries: Vec<Value>| -> Vec<Value> { entries.into_iter().filter(|e| e["seq"].as_i64().unwrap() > head_before).collect() };
    let vote_entries = since(journal(&ada, "proposal.vote").await);
    let acked_votes: usize = dones.iter().map(|d| d.votes.len()).sum();
    assert_eq!(vote_entries.len(), acked_votes, "one proposal.vote entry per acknowledged vote");
    for d in &dones {
        let mine: Vec<&str> = vote_entries.iter().filter(|e| e["payload"]["voter"] == d.member_id).map(|e| e["payload"]["choice"].as_str().unwrap()).collect();
        assert_eq!(mine, d.votes, "member {}'s votes in the journal, in the order sent", d.member_id);
    }
    let hour_entries = since(journal(&ada, "hours.log").await);
    let acked_entries: BTreeMap<i64, i64> = dones.iter().flat_map(|d| d.entries.iter().copied()).collect();
    let acked_count: usize = dones.iter().map(|d| d.entries.len()).sum();
    assert_eq!(acked_entries.len(), acked_count, "every acknowledged entry has its own id");
    let journalled: BTreeMap<i64, i64> = hour_entries
        .iter()
        .filter(|e| e["actor"] != "cli")
        .map(|e| (e["payload"]["entry"].as_i64().unwrap(), e["payload"]["minutes"].as_i64().unwrap()))
        .collect();
    assert_eq!(journalled.len(), hour_entries.iter().filter(|e| e["actor"] != "cli").count(), "no entry journalled twice");
    assert_eq!(journalled, acked_entries, "the journal holds exactly the acknowledged entries with their minutes");
    assert_eq!(hour_entries.iter().filter(|e| e["actor"] == "cli").count(), CLI_WRITES, "the command line's writes all landed");

    // Hours per member add up to exactly what was acknowledged (nothing counted twice).
    let report = Caller::expect(ada.send(reqwest::Method::GET, "/api/v1/hours/report?year=2025", None).await, 200, "report");
    let by_email: BTreeMap<String, String> =
        report.as_array().unwrap().iter().map(|r| (r["email"].as_str().unwrap().to_string(), r["hours"].as_str().unwrap().to_string())).collect();
    let emails: BTreeMap<i64, String> = Caller::expect(ada.send(reqwest::Method::GET, "/api/v1/members", None).await, 200, "members")
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_i64().unwrap(), m["email"].as_str().unwrap().to_string()))
        .collect();
    for d in &dones {
        let minutes: i64 = d.entries.iter().map(|(_, m)| m).sum();
        let want = format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60);
        assert_eq!(by_email.get(&emails[&d.member_id]), Some(&want), "member {}'s hours", d.member_id);
    }
    assert_eq!(by_email.get("ada@example.org").map(String::as_str), Some("10.00"), "the CLI's 8 x 1.25 hours");

    // No lost update: the edits of Ben form one chain, and Ben is as the last edit left him.
    let edit_entries = since(journal(&ada, "member.edit").await);
    let edit_entries: Vec<&Value> = edit_entries.iter().filter(|e| e["subject"] == format!("member:{ben_id}")).collect();
    assert_eq!(edit_entries.len(), edits.len(), "one member.edit entry per acknowledged edit ({} acknowledged)", edits.len());
    assert_eq!(edits.len(), EDITORS * EDITS_PER_EDITOR);
    for pair in edit_entries.windows(2) {
        assert_eq!(pair[1]["payload"]["before"], pair[0]["payload"]["after"], "an edit started from a stale read (lost update): {} then {}", pair[0], pair[1]);
    }
    for e in &edit_entries {
        let (before, after) = (&e["payload"]["before"], &e["payload"]["after"]);
        let changed = ["name", "email"].iter().filter(|f| before[**f] != after[**f]).count();
        assert_eq!(changed, 1, "each edit changed exactly the one field it sent: {e}");
    }
    let ben = Caller::expect(ada.send(reqwest::Method::GET, &format!("/api/v1/members/{ben_id}"), None).await, 200, "ben");
    let last = &edit_entries.last().unwrap()["payload"]["after"];
    assert_eq!(ben["name"], last["name"], "{ben}");
    assert_eq!(ben["email"], last["email"], "{ben}");
    let names: BTreeSet<&str> = edits.iter().filter_map(|b| b["name"].as_str()).collect();
    let addresses: BTreeSet<&str> = edits.iter().filter_map(|b| b["email"].as_str()).collect();
    assert!(names.contains(ben["name"].as_str().unwrap()), "the name is one of the writes: {ben}");
    assert!(addresses.contains(ben["email"].as_str().unwrap()), "the email is one of the writes: {ben}");

    races(&ada, &editors, &members[0].1).await;

    let report = Caller::expect(ada.send(reqwest::Method::GET, "/api/v1/journal/verify", None).await, 200, "verify");
    assert_eq!(report["ok"], true, "{report}");
    let out = backend.cli(&["journal", "verify"], None);
    assert!(out.starts_with("ok "), "{out}");
}

/// Check-then-write races: several requests at the same moment that only some may win.
async fn races(ada: &Caller, editors: &[Caller], member: &Caller) {
    async fn all_at_once(calls: Vec<(Caller, reqwest::Method, String, Value)>) -> Vec<(u16, Value)> {
        let barrier = Arc::new(tokio::sync::Barrier::new(calls.len()));
        let mut set = tokio::task::JoinSet::new();
        for (c, m, path, body) in calls {
            let barrier = barrier.clone();
            set.spawn(async move {
                barrier.wait().await;
                c.send(m, &path, Some(body)).await
            });
        }
        let mut out = Vec::new();
        while let Some(r) = set.join_next().await {
            out.push(r.unwrap());
        }
        out
    }
    let count = |answers: &[(u16, Value)], status: u16| answers.iter().filter(|(s, _)| *s == status).count();

    // Twelve 5-hour entries for one member and one day: the day holds 24 hours, so exactly four
    // are recorded; the rest are refused naming `hours`.
    let calls = (0..12).map(|i| (member.clone(), reqwest::Method::POST, "/api/v1/hours".to_string(), json!({"date": "2024-02-29", "hours": "5.00", "note": format!("race {i}")}))).collect();
    let answers = all_at_once(calls).await;
    assert_eq!((count(&answers, 201), count(&answers, 422)), (4, 8), "the 24-hour day under a race: {answers:?}");
    assert!(answers.iter().filter(|(s, _)| *s == 422).all(|(_, b)| b["field"] == "hours"), "{answers:?}");
    let totals: BTreeSet<String> = answers.iter().filter(|(s, _)| *s == 201).map(|(_, b)| b["day_total"].as_str().unwrap().to_string()).collect();
    assert_eq!(totals, ["5.00", "10.00", "15.00", "20.00"].into_iter().map(String::from).collect(), "each entry saw the ones before it");

    // The same project, and the same new member, added by every editor at once: one wins, the
    // others are told it exists (409), never a 5xx from the unique index.
    let calls = editors.iter().map(|e| (e.clone(), reqwest::Method::POST, "/api/v1/projects".to_string(), json!({"name": "Raced project"}))).collect();
    let answers = all_at_once(calls).await;
    assert_eq!((count(&answers, 201), count(&answers, 409)), (1, editors.len() - 1), "one project: {answers:?}");
    let calls = editors
        .iter()
        .map(|e| (e.clone(), reqwest::Method::POST, "/api/v1/members".to_string(), json!({"name": "Rae Race", "email": "rae@example.org", "state": "applicant"})))
        .collect();
    let answers = all_at_once(calls).await;
    assert_eq!((count(&answers, 201), count(&answers, 409)), (1, editors.len() - 1), "one member: {answers:?}");
    let rae = Caller::expect(ada.send(reqwest::Method::GET, "/api/v1/members?search=rae%40example.org", None).await, 200, "members");
    assert_eq!(rae.as_array().unwrap().len(), 1, "{rae}");
}
