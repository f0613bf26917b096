//! Backups under load: `coop backup FILE` while members stream votes and time entries to the
//! running server, then `coop restore FILE` into a fresh data directory. The restored co-op's
//! journal verifies, it holds every write the server acknowledged before the backup began, it
//! is one consistent moment (the journal and the tables agree), and `coop serve` runs on it.

mod common;

use common::{add_member, coop as run_coop, init, Account, Server};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Members streaming writes during the backup.
const WRITERS: usize = 6;
/// Load before the backup starts, so the database has some size and the writers are busy.
const WARM_UP: Duration = Duration::from_millis(800);
/// Load after the backup ends.
const COOL_DOWN: Duration = Duration::from_millis(300);

#[derive(Clone, Debug)]
enum Kind {
    Vote(&'static str),
    Hours { note: String, minutes: i64 },
}

#[derive(Clone, Debug)]
struct Sent {
    kind: Kind,
    sent_at: Instant,
    /// When the 2xx arrived; `None` if it did not (it must then be a 2xx still: checked below).
    acked_at: Option<Instant>,
    status: u16,
}

async fn sign_in(client: &reqwest::Client, base: &str, who: &Account) -> String {
    let res = client.post(format!("{base}/api/v1/session")).json(&json!({"email": who.email, "password": who.password})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "sign-in of {}", who.email);
    let set = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    set.split(';').next().unwrap().strip_prefix("coop_session=").unwrap().to_string()
}

async fn send(client: &reqwest::Client, base: &str, cookie: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = client.request(method, format!("{base}{path}")).header("cookie", format!("coop_session={cookie}"));
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn writer(base: String, cookie: String, proposal: i64, w: usize, stop: Arc<AtomicBool>) -> Vec<Sent> {
    let client = reqwest::Client::new();
    let mut sent = Vec::new();
    let mut n = 0usize;
    while !stop.load(Ordering::Relaxed) {
        let sent_at = Instant::now();
        let (kind, (status, _)) = if n.is_multiple_of(2) {
            let choice = ["yes", "no", "abstain"][(n / 2 + w) % 3];
            (Kind::Vote(choice), send(&client, &base, &cookie, reqwest::Method::POST, &format!("/api/v1/proposals/{proposal}/votes"), Some(json!({"choice": choice}))).await)
        } else {
            let note = format!("backup w{w} n{n}");
            let minutes = 15 * (1 + (n % 8) as i64);
            let hours = format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60);
            let date = format!("{}-{:02}-{:02}", 2000 + n / 336, (n / 28) % 12 + 1, n % 28 + 1);
            let body = json!({"date": date, "hours": hours, "note": note});
            (Kind::Hours { note, minutes }, send(&client, &base, &cookie, reqwest::Method::POST, "/api/v1/hours", Some(body)).await)
        };
        let acked_at = (status == 200 || status == 201).then(Instant::now);
        sent.push(Sent { kind, sent_at, acked_at, status });
        n += 1;
    }
    sent
}

fn sqlite3(db: &Path, sql: &str) -> String {
    let tool = ["/usr/bin/sqlite3", "sqlite3"].into_iter().find(|t| Path::new(t).exists()).unwrap_or("sqlite3");
    let out = Command::new(tool)
        .arg(db)
        .arg(sql)
        .output()
        .unwrap_or_else(|e| panic!("this test reads the restored database with the sqlite3 command-line tool (apt-get install sqlite3): {e}"));
    assert!(out.status.success(), "sqlite3 {sql:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_load_restores_every_write_acknowledged_before_it_began() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    init(&data, "Backup Co-op");
    let admin = add_member(&data, "Ada Admin", "ada@example.org", "member", &["admin"], Some("ada-password-1"));
    let writers: Vec<Account> =
        (0..WRITERS).map(|w| add_member(&data, &format!("Writer {w}"), &format!("writer{w}@example.org"), "member", &[], Some(&format!("writer-password-{w}")))).collect();
    let server = Server::start(&data);
    let client = reqwest::Client::new();
    let ada = sign_in(&client, &server.base, &admin).await;
    let rule = json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null});
    let (s, v) = send(&client, &server.base, &ada, reqwest::Method::PUT, "/api/v1/classes/ordinary", Some(json!({"rule": rule}))).await;
    assert_eq!(s, 200, "{v}");
    // Ada never votes, so the proposal stays open however the writers vote.
    let (s, p) = send(&client, &server.base, &ada, reqwest::Method::POST, "/api/v1/proposals", Some(json!({"class": "ordinary", "title": "Back up nightly"}))).await;
    assert_eq!(s, 201, "{p}");
    let proposal = p["id"].as_i64().unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (w, a) in writers.iter().enumerate() {
        let cookie = sign_in(&client, &server.base, a).await;
        tasks.push(tokio::spawn(writer(server.base.clone(), cookie, proposal, w, stop.clone())));
    }
    tokio::time::sleep(WARM_UP).await;

    // The backup, while the writers keep writing.
    let file = dir.path().join("coop-backup.db");
    let backup_started = Instant::now();
    let (d, f) = (data.clone(), file.clone());
    let printed = tokio::task::spawn_blocking(move || run_coop(&d, &["backup", f.to_str().unwrap()], None)).await.unwrap();
    let backup_finished = Instant::now();
    tokio::time::sleep(COOL_DOWN).await;
    stop.store(true, Ordering::Relaxed);
    let mut sent: Vec<Vec<Sent>> = Vec::new();
    for t in tasks {
        sent.push(t.await.expect("a writer"));
    }
    assert!(printed.starts_with("backed up to "), "{printed}");
    let all: Vec<&Sent> = sent.iter().flatten().collect();
    assert!(all.iter().all(|s| s.status == 200 || s.status == 201), "every write succeeded while the backup ran: {:?}", all.iter().filter(|s| s.status >= 300).collect::<Vec<_>>());
    let before = all.iter().filter(|s| s.acked_at.is_some_and(|t| t < backup_started)).count();
    let during = all.iter().filter(|s| s.acked_at.is_some_and(|t| t >= backup_started && t <= backup_finished)).count();
    let after = all.iter().filter(|s| s.acked_at.is_some_and(|t| t > backup_finished)).count();
    println!(
        "backup took {:.0?}; writes acknowledged before it: {before}, during it: {during}, after it: {after}; {}",
        backup_finished - backup_started,
        printed.trim()
    );
    assert!(before > 0 && during > 0 && after > 0, "the backup ran under load: {before} / {during} / {after}");

    // Restore into a fresh directory; its journal verifies.
    let fresh = dir.path().join("restored");
    let restored = run_coop(&fresh, &["restore", file.to_str().unwrap()], None);
    assert!(restored.contains("journal ok"), "{restored}");
    let verified = run_coop(&fresh, &["journal", "verify"], None);
    assert!(verified.starts_with("ok "), "{verified}");
    let copy = fresh.join("coop.db");

    // Every time entry acknowledged before the backup began is in the copy, with its minutes,
    // once; and nothing is there that was not sent before the backup finished.
    let rows = sqlite3(&copy, "SELECT id, minutes, note FROM time_entries WHERE note LIKE 'backup %'");
    let mut in_copy: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for line in rows.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.splitn(3, '|').collect();
        assert!(in_copy.insert(f[2].to_string(), (f[0].parse().unwrap(), f[1].parse().unwrap())).is_none(), "{} is in the copy twice", f[2]);
    }
    let mut required = 0;
    for s in &all {
        if let Kind::Hours { note, minutes } = &s.kind {
            if s.acked_at.is_some_and(|t| t < backup_started) {
                required += 1;
                let got = in_copy.get(note).unwrap_or_else(|| panic!("{note:?}, acknowledged before the backup began, is not in the copy"));
                assert_eq!(got.1, *minutes, "{note}");
            }
            if s.sent_at > backup_finished {
                assert!(!in_copy.contains_key(note), "{note:?} was sent after the backup finished but is in it");
            }
        }
    }
    // One consistent moment: the journal in the copy names exactly the entries in its table.
    let journalled: BTreeSet<i64> = sqlite3(&copy, "SELECT json_extract(payload, '$.entry') FROM journal WHERE action = 'hours.log'")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.parse().unwrap())
        .collect();
    let stored: BTreeSet<i64> = sqlite3(&copy, "SELECT id FROM time_entries").lines().filter(|l| !l.is_empty()).map(|l| l.parse().unwrap()).collect();
    assert_eq!(journalled, stored, "the copy's journal and its time entries are from the same moment");

    // Votes: served from the restored directory, each writer's vote is the last one
    // acknowledged before the backup began, or one sent after it while the backup ran.
    drop(server);
    let restored_server = Server::start(&fresh);
    let ada2 = sign_in(&client, &restored_server.base, &admin).await;
    let (s, view) = send(&client, &restored_server.base, &ada2, reqwest::Method::GET, &format!("/api/v1/proposals/{proposal}"), None).await;
    assert_eq!(s, 200, "{view}");
    let votes: BTreeMap<i64, String> = view["votes"].as_array().unwrap().iter().map(|v| (v["member_id"].as_i64().unwrap(), v["choice"].as_str().unwrap().to_string())).collect();
    for (w, mine) in sent.iter().enumerate() {
        let my_votes: Vec<(&'static str, &Sent)> = mine
            .iter()
            .filter_map(|s| match s.kind {
                Kind::Vote(c) => Some((c, s)),
                _ => None,
            })
            .collect();
        let last_before = my_votes.iter().rposition(|(_, s)| s.acked_at.is_some_and(|t| t < backup_started)).expect("each writer voted before the backup");
        let mut allowed: BTreeSet<&str> = BTreeSet::new();
        allowed.insert(my_votes[last_before].0);
        for (c, s) in &my_votes[last_before + 1..] {
            if s.sent_at <= backup_finished {
                allowed.insert(c);
            }
        }
        let got = votes.get(&writers[w].id).map(String::as_str);
        assert!(got.is_some_and(|g| allowed.contains(g)), "writer {w}: the copy has {got:?}, allowed {allowed:?}");
    }
    println!("restored: {} time entries ({required} required), {} votes; {}", in_copy.len(), votes.len(), verified.trim());
}
