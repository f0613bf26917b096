//! Black-box tests of the election commands of the contract (`coop election ...`,
//! `coop ballot ...`): the real binary on a fresh data directory; stdout, stderr, exit codes,
//! the `election show --json` shape, and that a refused command changes nothing.

mod common;

use common::cli::{coop, json_of, ok};
use assert_cmd::Command;
use coop_core::election::{self, Ballot};
use coop_core::journal::sha256_hex;
use serde_json::{json, Value};
use std::path::Path;
use tempfile::TempDir;

/// The contract's failure shape: exit 1, nothing on stdout, one `error: ` line on stderr.
/// Also checks that the journal (every write) and the elections did not change.
fn fails(dir: &Path, args: &[&str]) -> String {
    let before = snapshot(dir);
    let out = coop(dir).args(args).output().unwrap();
    let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert_eq!(out.status.code(), Some(1), "coop {args:?}: expected exit 1; stdout {stdout:?}, stderr {stderr:?}");
    assert_eq!(stdout, "", "a refused command prints nothing on stdout");
    assert_eq!(stderr.lines().count(), 1, "expected one line on stderr, got {stderr:?}");
    assert!(stderr.starts_with("error: ") && stderr.ends_with('\n'), "{stderr:?}");
    assert_eq!(snapshot(dir), before, "coop {args:?} was refused but changed something");
    stderr.trim_end().to_string()
}

/// A clap usage error: exit 2, nothing on stdout.
fn usage_error(dir: &Path, args: &[&str]) -> String {
    let before = snapshot(dir);
    let out = coop(dir).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "coop {args:?}: expected a usage error");
    assert!(out.stdout.is_empty());
    assert_eq!(snapshot(dir), before);
    String::from_utf8(out.stderr).unwrap()
}

/// The journal's `(entries, head)` and every election: what a refused command must not touch.
fn snapshot(dir: &Path) -> (String, Value) {
    (ok(dir, &["journal", "verify"]), json_of(dir, &["election", "list", "--json"]))
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// A co-op with `n` members v01@example.org.. and one candidate, cal@example.org.
fn coop_with_voters(n: usize) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--name", "Test Co"]);
    for i in 1..=n {
        let (name, email) = (format!("Voter {i:02}"), email(i));
        ok(dir.path(), &["member", "add", "--name", &name, "--email", &email, "--state", "member", "--since", "2024-01-01"]);
    }
    ok(dir.path(), &["member", "add", "--name", "Cal Candidate", "--email", "cal@example.org", "--state", "candidate"]);
    dir
}

fn email(i: usize) -> String {
    format!("v{i:02}@example.org")
}

/// `election new ... --json`; returns the id (as text, for the next commands).
fn new_election(dir: &Path, title: &str, seats: &str, method: &str, candidates: &str) -> String {
    let e = json_of(dir, &["election", "new", "--title", title, "--seats", seats, "--method", method, "--candidates", candidates, "--json"]);
    assert_eq!(e["status"], "open");
    assert_eq!(e["method"], method);
    e["id"].as_i64().expect("an id").to_string()
}

/// Casts one ballot per voter, in order, with `flag`; returns the receipts.
fn cast_all(dir: &Path, id: &str, flag: &str, groups: &[(usize, &str)]) -> Vec<String> {
    let mut receipts = Vec::new();
    let mut voter = 0;
    for &(n, ballot) in groups {
        for _ in 0..n {
            voter += 1;
            let out = ok(dir, &["ballot", id, "--member", &email(voter), flag, ballot]);
            assert!(out.starts_with(&format!("recorded the ballot of {} in election {id}\n", email(voter))), "{out}");
            receipts.push(receipt_of(&out));
        }
    }
    receipts
}

fn receipt_of(out: &str) -> String {
    let line = out.lines().find_map(|l| l.strip_prefix("receipt: ")).unwrap_or_else(|| panic!("no receipt in {out:?}"));
    assert!(line.len() >= 16 && line.bytes().all(|b| b.is_ascii_hexdigit()), "receipt {line:?}");
    line.to_string()
}

fn tallies(round: &Value) -> Vec<String> {
    round["tallies"].as_array().unwrap().iter().map(|t| t["votes"].as_str().unwrap().to_string()).collect()
}

#[test]
fn help_lists_the_election_commands() {
    let out = Command::cargo_bin("coop").unwrap().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for command in ["election", "ballot"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(command)), "--help does not list {command}: {help}");
    }
    let out = Command::cargo_bin("coop").unwrap().args(["election", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for command in ["new", "nominate", "open", "close", "show", "list", "blt"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(command)), "election --help does not list {command}: {help}");
    }
}

/// Wikipedia's food election (STV, 3 seats, 20 voters): the contract's commands end to end.
#[test]
fn stv_food_election_through_the_contract_commands() {
    let dir = coop_with_voters(20);
    let d = dir.path();
    let id = new_election(d, "Party food", "3", "stv", "Oranges,Pears,Chocolate,Strawberries,Hamburgers");
    let groups = [(4, "Oranges"), (2, "Pears>Oranges"), (8, "Chocolate>Strawberries"), (4, "Chocolate>Hamburgers"), (1, "Strawberries"), (1, "Hamburgers")];
    cast_all(d, &id, "--ranking", &groups);
    let open = json_of(d, &["election", "show", &id, "--json"]);
    assert_eq!((open["status"].as_str(), open["turnout"].as_i64(), open["eligible"].as_i64()), (Some("open"), Some(20), Some(20)));
    assert_eq!(open["winners"], json!([]));
    assert_eq!(open["quota"], Value::Null);

    let out = ok(d, &["election", "close", &id]);
    assert_eq!(out, format!("closed election {id}: elected Chocolate, Oranges, Strawberries (quota 6)\n"));

    let e = json_of(d, &["election", "show", &id, "--json"]);
    assert_eq!(e["winners"], json!(["Chocolate", "Oranges", "Strawberries"]));
    assert_eq!(e["quota"], json!(6));
    let rounds = e["rounds"].as_array().expect("rounds");
    assert_eq!(rounds.len(), 4);
    assert_eq!(tallies(&rounds[0]), ["4", "2", "12", "1", "1"]);
    assert_eq!(tallies(&rounds[1]), ["4", "2", "6", "5", "3"]);
    assert_eq!(tallies(&rounds[2]), ["6", "0", "6", "5", "3"]);
    assert_eq!(rounds[1]["action"], json!({"kind": "surplus", "candidate": "Chocolate", "surplus": "6", "tie": null}));
    assert_eq!(rounds[2]["action"], json!({"kind": "exclusion", "candidate": "Pears"}));
    assert_eq!(rounds[3]["elected"][0]["candidate"], "Strawberries");
    assert_eq!(e["status"], "closed");
    assert!(is_hash(e["sealed_hash"].as_str().unwrap()));
    assert_eq!(e["ballots"].as_array().unwrap().len(), 20);

    // The readable form: the facts and one table row per round.
    let text = ok(d, &["election", "show", &id]);
    assert!(text.contains("winners:    Chocolate, Oranges, Strawberries"), "{text}");
    assert!(text.contains("quota:      6"), "{text}");
    let header = text.lines().find(|l| l.starts_with("ROUND")).unwrap_or_else(|| panic!("no round table: {text}"));
    for col in ["ACTION", "Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers", "ELECTED", "EXCLUDED"] {
        assert!(header.contains(col), "{header}");
    }
    let rows: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("ROUND")).skip(1).take_while(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows[1].contains("surplus 6 of Chocolate"), "{}", rows[1]);
    assert!(rows[2].contains("exclusion of Pears") && rows[2].contains("Oranges"), "{}", rows[2]);

    // The BLT export reads back to the ballots cast.
    let blt = ok(d, &["election", "blt", &id]);
    let back = election::parse_blt(&blt).unwrap_or_else(|e| panic!("{e}: {blt}"));
    assert_eq!(back.title, "Party food");
    assert_eq!(back.seats, 3);
    let candidates = back.candidates.clone();
    let mut expected: Vec<Ballot> = groups.iter().flat_map(|&(n, b)| std::iter::repeat_n(election::parse_ranking(b, &candidates).unwrap(), n)).collect();
    let mut got = back.ballots.clone();
    expected.sort_by_key(|b| format!("{b:?}"));
    got.sort_by_key(|b| format!("{b:?}"));
    assert_eq!(got, expected);

    // The list and the journal.
    let list = ok(d, &["election", "list"]);
    assert!(list.lines().any(|l| l.contains("closed") && l.contains("Party food") && l.contains("Chocolate, Oranges, Strawberries")), "{list}");
    let verify = ok(d, &["journal", "verify"]);
    assert!(verify.starts_with("ok "), "{verify}");

    // After close: no more ballots, no second close.
    fails(d, &["ballot", &id, "--member", &email(1), "--ranking", "Pears"]);
    fails(d, &["election", "close", &id]);
}

#[test]
fn plurality_approval_and_irv_through_the_cli() {
    let dir = coop_with_voters(9);
    let d = dir.path();
    let p = new_election(d, "Treasurer", "1", "plurality", "Ana,Ben,Chidi");
    cast_all(d, &p, "--choice", &[(3, "Ana"), (2, "Ben"), (1, "Chidi")]);
    let a = new_election(d, "Board", "2", "approval", "Ana, Ben, Chidi");
    cast_all(d, &a, "--approve", &[(2, "Ana,Ben"), (2, "Ben,Chidi"), (1, "Chidi")]);
    let i = new_election(d, "Coordinator", "1", "irv", "Ana,Ben,Chidi");
    cast_all(d, &i, "--ranking", &[(4, "Ana"), (3, "Ben>Ana"), (2, "Chidi>Ben")]);
    for id in [&p, &a, &i] {
        ok(d, &["election", "close", id]);
    }
    let show = |id: &str| json_of(d, &["election", "show", id, "--json"]);
    let e = show(&p);
    assert_eq!((e["winners"].clone(), e["quota"].clone(), e["rounds"].as_array().unwrap().len()), (json!(["Ana"]), Value::Null, 1));
    let e = show(&a);
    assert_eq!((e["winners"].clone(), e["quota"].clone()), (json!(["Ben", "Chidi"]), Value::Null));
    assert_eq!(tallies(&e["rounds"][0]), ["2", "4", "3"]);
    let e = show(&i);
    assert_eq!((e["winners"].clone(), e["quota"].clone()), (json!(["Ben"]), Value::Null));
    assert_eq!(e["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(tallies(&e["rounds"][1]), ["4", "5", "0"]);
    // BLT carries rankings: a plurality choice as a one-name ranking; approval is refused.
    let blt = election::parse_blt(&ok(d, &["election", "blt", &p])).unwrap();
    assert_eq!(blt.ballots.len(), 6);
    let err = fails(d, &["election", "blt", &a]);
    assert!(err.contains("approval"), "{err}");
    let text = ok(d, &["election", "show", &a]);
    assert!(text.contains("winners:    Ben, Chidi") && text.lines().any(|l| l.starts_with("ROUND")), "{text}");
}

#[test]
fn a_second_ballot_needs_the_receipt_which_replaces_the_first() {
    let dir = coop_with_voters(2);
    let d = dir.path();
    let id = new_election(d, "Board", "1", "irv", "Ana,Ben,Chidi");
    let first = ok(d, &["ballot", &id, "--member", &email(1), "--ranking", "Ana>Ben"]);
    let code = receipt_of(&first);
    ok(d, &["ballot", &id, "--member", &email(2), "--ranking", "Ben"]);

    let err = fails(d, &["ballot", &id, "--member", &email(1), "--ranking", "Chidi"]);
    assert!(err.contains("voted already") && err.contains("receipt"), "{err}");
    let err = fails(d, &["ballot", &id, "--member", &email(1), "--ranking", "Chidi", "--receipt", "0000"]);
    assert!(err.starts_with("error: receipt: "), "{err}");

    let out = ok(d, &["ballot", &id, "--member", &email(1), "--ranking", "Chidi>Ana", "--receipt", &code]);
    assert_eq!(out, format!("replaced the ballot with that receipt in election {id}\n"));
    let doc = json_of(d, &["ballot", &id, "--member", &email(1), "--ranking", "Chidi", "--receipt", &code, "--json"]);
    assert_eq!(doc, json!({"election_id": id.parse::<i64>().unwrap(), "replaced": true, "receipt": null}));

    ok(d, &["election", "close", &id]);
    let e = json_of(d, &["election", "show", &id, "--json"]);
    assert_eq!(e["turnout"], 2);
    let ballots = e["ballots"].as_array().unwrap();
    assert_eq!(ballots.len(), 2);
    let mine = ballots.iter().find(|b| b["receipt_hash"] == sha256_hex(code.as_bytes())).expect("the receipt finds the ballot");
    assert_eq!(mine["ballot"], "Chidi");
    assert_eq!(e["winners"], json!(["Ben"]));
}

#[test]
fn a_ballot_with_json_prints_the_receipt_document() {
    let dir = coop_with_voters(1);
    let d = dir.path();
    let id = new_election(d, "Chair", "1", "plurality", "Ana,Ben");
    let doc = json_of(d, &["ballot", &id, "--member", &email(1), "--choice", "Ben", "--json"]);
    assert_eq!(doc["replaced"], false);
    let code = doc["receipt"].as_str().expect("the receipt");
    assert!(code.len() >= 16);
}

#[test]
fn nominations_then_open() {
    let dir = coop_with_voters(3);
    let d = dir.path();
    let e = json_of(d, &["election", "new", "--title", "Board", "--seats", "2", "--method", "stv", "--json"]);
    assert_eq!(e["status"], "nominating");
    assert_eq!(e["candidates"], json!([]));
    let id = e["id"].as_i64().unwrap().to_string();
    let out = ok(d, &["election", "new", "--title", "Later", "--seats", "1", "--method", "irv"]);
    assert!(out.contains("takes nominations") && out.contains("coop election nominate"), "{out}");

    let err = fails(d, &["ballot", &id, "--member", &email(1), "--ranking", "Ana"]);
    assert!(err.starts_with("error: ballot: ") || err.contains("not open"), "{err}");
    ok(d, &["election", "nominate", &id, "--name", "Ana"]);
    let err = fails(d, &["election", "open", &id]);
    assert!(err.starts_with("error: candidates: "), "{err}");
    let out = ok(d, &["election", "nominate", &id, "--name", "Ben"]);
    assert_eq!(out, format!("nominated Ben in election {id}; candidates: Ana, Ben\n"));
    let err = fails(d, &["election", "nominate", &id, "--name", "Ana"]);
    assert!(err.starts_with("error: name: "), "{err}");
    let e = json_of(d, &["election", "nominate", &id, "--name", "Chidi", "--json"]);
    assert_eq!(e["candidates"], json!(["Ana", "Ben", "Chidi"]));

    let err = fails(d, &["election", "open", &id, "--closes", "tomorrow"]);
    assert!(err.starts_with("error: closes: "), "{err}");
    let err = fails(d, &["election", "open", &id, "--closes", "2001-01-01T00:00:00Z"]);
    assert!(err.starts_with("error: closes: "), "{err}");
    let out = ok(d, &["election", "open", &id, "--closes", "2099-06-01T17:00:00Z"]);
    assert!(out.starts_with(&format!("opened election {id}: Board (stv, 2 seats, candidates: Ana, Ben, Chidi; 3 eligible")), "{out}");
    assert!(out.contains("2099-06-01T17:00:00"), "{out}");
    fails(d, &["election", "open", &id]);
    fails(d, &["election", "nominate", &id, "--name", "Dee"]);

    cast_all(d, &id, "--ranking", &[(2, "Ana>Chidi"), (1, "Ben>Chidi")]);
    ok(d, &["election", "close", &id]);
    let e = json_of(d, &["election", "show", &id, "--json"]);
    assert_eq!((e["winners"].clone(), e["quota"].clone()), (json!(["Ana", "Ben"]), json!(2)));
}

#[test]
fn bad_input_is_refused_with_one_line_and_changes_nothing() {
    let dir = coop_with_voters(2);
    let d = dir.path();
    let id = new_election(d, "Board", "2", "stv", "Ana,Ben,Chidi");
    ok(d, &["ballot", &id, "--member", &email(2), "--ranking", "Ana"]);
    let new = |extra: &[&str]| {
        let mut args = vec!["election", "new", "--title", "X", "--json"];
        args.extend_from_slice(extra);
        fails(d, &args)
    };
    let cases: &[(&[&str], &str)] = &[
        (&["--seats", "1", "--method", "borda", "--candidates", "A,B"], "error: method: "),
        (&["--seats", "0", "--method", "stv", "--candidates", "A,B"], "error: seats: "),
        (&["--seats", "3", "--method", "stv", "--candidates", "A,B"], "error: seats: "),
        (&["--seats", "2", "--method", "irv", "--candidates", "A,B"], "error: seats: "),
        (&["--seats", "1", "--method", "stv", "--candidates", "A,A"], "error: candidates: "),
        (&["--seats", "1", "--method", "stv", "--candidates", ""], "error: candidates: "),
        (&["--seats", "1", "--method", "stv", "--candidates", "A,,B"], "error: candidates: "),
        (&["--seats", "1", "--method", "stv", "--candidates", "A,B", "--closes", "next week"], "error: closes: "),
        (&["--seats", "1", "--method", "stv", "--closes", "2099-01-01T00:00:00Z"], "error: closes: "),
        (&["--seats", "1", "--method", "stv", "--candidates", "A,B", "--eligible", "member,boss"], "error: eligible: "),
    ];
    for (extra, prefix) in cases {
        let err = new(extra);
        assert!(err.starts_with(prefix), "{extra:?}: {err}");
    }
    let err = fails(d, &["election", "new", "--title", " ", "--seats", "1", "--method", "stv", "--candidates", "A,B"]);
    assert!(err.starts_with("error: title: "), "{err}");

    let ballot = |extra: &[&str]| {
        let mut args = vec!["ballot", id.as_str()];
        args.extend_from_slice(extra);
        fails(d, &args)
    };
    let v1 = email(1);
    let cases: &[(&[&str], &str)] = &[
        (&["--member", &v1, "--ranking", "Ana>Zed"], "error: ballot: unknown candidate \"Zed\""),
        (&["--member", &v1, "--ranking", "Ana>Ana"], "error: ballot: "),
        (&["--member", &v1, "--ranking", ""], "error: ballot: "),
        (&["--member", &v1, "--choice", "Ana"], "error: ballot: "),
        (&["--member", &v1, "--approve", "Ana,Ben"], "error: ballot: "),
        (&["--member", "nobody@example.org", "--ranking", "Ana"], "error: member with email nobody@example.org not found"),
        (&["--member", "not an email", "--ranking", "Ana"], "error: email: "),
        (&["--member", "cal@example.org", "--ranking", "Ana"], "error: not allowed: "),
    ];
    for (extra, prefix) in cases {
        let err = ballot(extra);
        assert!(err.starts_with(prefix), "{extra:?}: {err}");
    }
    let err = fails(d, &["ballot", "999", "--member", &v1, "--ranking", "Ana"]);
    assert_eq!(err, "error: election 999 not found");
    for args in [["election", "show", "999"], ["election", "close", "999"], ["election", "blt", "999"]] {
        assert_eq!(fails(d, &args), "error: election 999 not found");
    }
    let err = fails(d, &["election", "blt", &id]);
    assert!(err.contains("published when the election closes"), "{err}");

    // Usage errors are clap's: exit 2.
    usage_error(d, &["ballot", &id, "--member", &v1]);
    usage_error(d, &["ballot", &id, "--member", &v1, "--ranking", "Ana", "--choice", "Ana"]);
    usage_error(d, &["election", "new", "--title", "X", "--seats", "-1", "--method", "stv"]);

    // The refusals above left the voter free to vote.
    ok(d, &["ballot", &id, "--member", &v1, "--ranking", " Ben > Ana "]);
}

#[test]
fn closing_with_no_ballots_is_refused_and_changes_nothing() {
    let dir = coop_with_voters(1);
    let d = dir.path();
    let id = new_election(d, "Board", "1", "plurality", "Ana,Ben");
    let err = fails(d, &["election", "close", &id]);
    assert!(err.contains("no ballots"), "{err}");
    let e = json_of(d, &["election", "show", &id, "--json"]);
    assert_eq!((e["status"].as_str(), e["sealed_hash"].clone()), (Some("open"), Value::Null));
    let text = ok(d, &["election", "show", &id]);
    assert!(text.contains("turnout:    0 of 1 eligible"), "{text}");
}

#[test]
fn candidates_vote_when_the_election_admits_them() {
    let dir = coop_with_voters(1);
    let d = dir.path();
    let e = json_of(
        d,
        &[
            "election",
            "new",
            "--title",
            "Committee",
            "--seats",
            "1",
            "--method",
            "plurality",
            "--candidates",
            "Ana,Ben",
            "--eligible",
            "member,candidate",
            "--json",
        ],
    );
    assert_eq!(e["eligible"], 2);
    let id = e["id"].as_i64().unwrap().to_string();
    ok(d, &["ballot", &id, "--member", "cal@example.org", "--choice", "Ana"]);
}
