//! Black-box harness shared by the interface tests: prepares a data directory with the real
//! `coop` binary (`init`, `member add`) and runs `coop serve` on a free port.
//!
//! ```ignore
//! let coop = TestCoop::start();              // an admin, a member and a candidate, all with passwords
//! let url = coop.url("/api/v1/members");
//! ```
//! The server is killed when its [`Server`] is dropped; its log is printed if the test failed.
#![allow(dead_code)]

pub mod api;
pub mod cli;
pub mod browser;
pub mod webdriver;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// The co-op every [`TestCoop`] founds.
pub const COOP_NAME: &str = "Test Bakery Co-op";
/// How long `coop serve` may take to print its address.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A person added through the CLI, with what they sign in with.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Empty when the member was added without a password.
    pub password: String,
}

/// The `coop` binary under test.
pub fn coop_bin() -> &'static str {
    env!("CARGO_BIN_EXE_coop")
}

/// A `coop --data DIR` command, isolated from the caller's environment.
pub fn coop_command(data: &Path) -> Command {
    let mut cmd = Command::new(coop_bin());
    cmd.arg("--data").arg(data).env_remove("COOP_DATA").env_remove("COOP_DATABASE_URL").env_remove("COOP_SECURE_COOKIES").env("RUST_LOG", "warn");
    cmd
}

/// Runs `coop --data DIR ARGS...` with `stdin`; panics with its stderr unless it succeeds.
/// Returns its stdout.
pub fn coop(data: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut child =
        coop_command(data).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("cannot start the coop binary");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("cannot write to coop's stdin");
        }
    }
    let out = child.wait_with_output().expect("coop did not finish");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "`coop {}` failed ({}):\nstdout: {stdout}\nstderr: {}", args.join(" "), out.status, String::from_utf8_lossy(&out.stderr));
    stdout
}

/// `coop init --name NAME`.
pub fn init(data: &Path, name: &str) {
    coop(data, &["init", "--name", name], None);
}

/// `coop member add ... --json`; with a password, through `--password-stdin`.
pub fn add_member(data: &Path, name: &str, email: &str, state: &str, roles: &[&str], password: Option<&str>) -> Account {
    let mut args = vec!["member", "add", "--name", name, "--email", email, "--state", state, "--json"];
    for role in roles {
        args.extend(["--role", role]);
    }
    let stdin = password.map(|p| format!("{p}\n"));
    if stdin.is_some() {
        args.push("--password-stdin");
    }
    let out = coop(data, &args, stdin.as_deref());
    let doc: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("member add --json printed {out:?}: {e}"));
    let id = doc["id"].as_i64().unwrap_or_else(|| panic!("member add --json printed no id: {doc}"));
    Account { id, name: name.to_string(), email: email.to_string(), password: password.unwrap_or_default().to_string() }
}

/// A running `coop serve`, killed on drop.
pub struct Server {
    pub addr: SocketAddr,
    /// `http://ADDR` without a trailing slash.
    pub base: String,
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `coop serve --addr 127.0.0.1:0` on `data` and waits for
    /// `coop is serving <name> at http://ADDR/`.
    pub fn start(data: &Path) -> Server {
        let mut child = coop_command(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start coop serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().expect("stdout is piped");
        let out_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                out_log.lock().unwrap().push_str(&format!("{line}\n"));
                let _ = tx.send(line);
            }
        });
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let err_log = log.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                err_log.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let deadline = std::time::Instant::now() + START_TIMEOUT;
        let addr = loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("coop is serving ") {
                        let url = rest.rsplit_once(" at http://").map(|(_, u)| u.trim_end_matches('/')).unwrap_or("");
                        break url.parse::<SocketAddr>().unwrap_or_else(|e| panic!("cannot read the address in {line:?}: {e}"));
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("coop serve did not announce its address; its output:\n{}", log.lock().unwrap());
                }
            }
        };
        Server { addr, base: format!("http://{addr}"), child, log }
    }

    /// An absolute URL for `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Everything the server printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- coop serve output ---\n{}", self.log());
        }
    }
}

/// A fresh co-op in a temporary directory, served: an admin, a plain member and a candidate,
/// each with a password.
pub struct TestCoop {
    // Declared first so that the server stops before its directory is removed.
    pub server: Server,
    pub admin: Account,
    pub member: Account,
    pub candidate: Account,
    pub dir: tempfile::TempDir,
}

impl TestCoop {
    pub fn start() -> TestCoop {
        let dir = tempfile::tempdir().expect("cannot make a temporary directory");
        let data = dir.path().join("data");
        init(&data, COOP_NAME);
        let admin = add_member(&data, "Ada Admin", "ada@example.org", "member", &["admin"], Some("ada-password-1"));
        let member = add_member(&data, "Ben Baker", "ben@example.org", "member", &[], Some("ben-password-1"));
        let candidate = add_member(&data, "Cleo Candidate", "cleo@example.org", "candidate", &[], Some("cleo-password-1"));
        let server = Server::start(&data);
        TestCoop { server, admin, member, candidate, dir }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
}
