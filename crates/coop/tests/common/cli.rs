//! The command-line tests' words: run `coop --data DIR ...` as the contract's callers do and
//! check the contract's shapes of success (exit 0, nothing on stderr) and refusal (exit 1,
//! nothing on stdout, one `error: ` line on stderr).

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// `coop --data DIR`, isolated from the caller's environment.
pub fn coop(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("coop").expect("the coop binary is built");
    cmd.arg("--data").arg(dir).env_remove("COOP_DATABASE_URL").env_remove("COOP_DATA").env_remove("COOP_SECURE_COOKIES");
    cmd
}

/// Runs a command that must succeed with nothing on stderr; returns stdout.
#[track_caller]
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = coop(dir).args(args).output().unwrap();
    let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert!(out.status.success(), "coop {args:?} failed: {stderr}");
    assert_eq!(stderr, "", "coop {args:?} wrote to stderr");
    stdout
}

/// Checks the contract's failure shape of `cmd` (exit 1, nothing on stdout, one line on
/// stderr) and returns that line.
#[track_caller]
pub fn refused(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert_eq!(out.status.code(), Some(1), "expected exit 1; stdout {stdout:?}, stderr {stderr:?}");
    assert_eq!(stdout, "", "a refused command prints nothing on stdout");
    assert_eq!(stderr.lines().count(), 1, "expected one line on stderr, got {stderr:?}");
    assert!(stderr.ends_with('\n'), "{stderr:?}");
    stderr.trim_end().to_string()
}

/// [`refused`] for `coop --data DIR ARGS...`, whose line is an `error: ` (`journal verify`
/// names the fault instead, see [`refused`]).
#[track_caller]
pub fn fails(dir: &Path, args: &[&str]) -> String {
    let line = refused(coop(dir).args(args));
    assert!(line.starts_with("error: "), "{line:?}");
    line
}

/// Runs a command that must succeed and print one JSON document.
#[track_caller]
pub fn json_of(dir: &Path, args: &[&str]) -> Value {
    let stdout = ok(dir, args);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("coop {args:?} did not print one JSON document ({e}): {stdout}"))
}
