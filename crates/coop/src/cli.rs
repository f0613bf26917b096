//! The command line: the contract's commands (`/work/shared/contract.md`) on top of the
//! `coop-app` use cases.
//!
//! Every command acts as [`Actor::Operator`]: whoever can run it can read the data directory
//! anyway. The CLI only parses, calls one use case and prints, so a refused command changes
//! nothing (each use case is one transaction). Output rules that scripts rely on:
//! - `--json` prints exactly one JSON document on stdout and nothing else there;
//! - a failure exits 1 with one line on stderr, `error: <reason>` (clap's usage errors exit 2);
//! - logs, if any, go to stderr.

use crate::{config, demo, web};

mod decisions;
mod money;
mod meetings;
mod pay;
mod work;
use anyhow::{anyhow, bail, Context};
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use coop_app::clock::SystemClock;
use coop_app::members::{MemberDetail, MemberEdit, MemberFilter, MemberSummary, NewMember, StateInput};
use coop_app::{Actor, App, AppConfig, AppError, JournalFilter};
use coop_core::member::{MemberState, Role};
use coop_core::CoopSettings;
use jiff::civil::Date;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The CLI acts as the operator: someone with shell access to the data directory.
pub(crate) const OP: &Actor = &Actor::Operator;

#[derive(Parser)]
#[command(name = "coop", version, about = "The operating system of a worker cooperative")]
struct Cli {
    /// The data directory [default: ./coop-data; `coop demo`: ./coop-demo-data]
    #[arg(long, global = true, env = "COOP_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Found the co-op in the data directory
    Init(InitArgs),
    /// Serve the web app and /api/v1 on the data directory
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Serve a sample co-op from a fresh data directory and print its admin login
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Add, list, show and change members
    #[command(subcommand)]
    Member(MemberCommand),
    /// Read and verify the journal
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Decision classes: the co-op's table of how it decides what
    #[command(subcommand)]
    Class(decisions::ClassCommand),
    /// Open, show, close and count proposals
    #[command(subcommand)]
    Proposal(decisions::ProposalCommand),
    /// Cast a member's vote on a proposal (a later vote replaces the earlier)
    Vote(decisions::VoteArgs),
    /// Meetings: agenda, roles, attendance, notes, actions, minutes and their approval, exports
    #[command(subcommand)]
    Meeting(meetings::MeetingCommand),
    /// The co-op's calendar of meetings and proposal deadlines
    #[command(subcommand)]
    Calendar(meetings::CalendarCommand),
    /// Elections for board seats and roles: nominations, voting, the count round by round
    #[command(subcommand)]
    Election(crate::cli_elections::ElectionCommand),
    /// Cast a member's secret ballot in an election; prints the receipt
    Ballot(crate::cli_elections::BallotArgs),
    /// Log, import and report hours worked, and a member's balance against their commitment
    #[command(subcommand)]
    Hours(work::HoursCommand),
    /// Members' yearly commitments: declared hours and leave
    #[command(subcommand)]
    Commitment(work::CommitmentCommand),
    /// Paid leave taken, by working day
    #[command(subcommand)]
    Leave(pay::LeaveCommand),
    /// Clients' projects and internal ones
    #[command(subcommand)]
    Project(pay::ProjectCommand),
    /// Kinds of work: hourly rates and patronage weights from a month on
    #[command(subcommand)]
    Kind(pay::KindCommand),
    /// The pay system adopted by decision, and monthly pay runs
    #[command(subcommand)]
    Pay(pay::PayCommand),
    /// Year-end surplus: each year's allocation by patronage (preview, commit), notices, the policy
    #[command(subcommand)]
    Patronage(money::PatronageCommand),
    /// Internal capital accounts: balances, buy-ins, interest, redemptions, departures, equity
    #[command(subcommand)]
    Capital(money::CapitalCommand),
    /// Fiscal years: open, enter the net surplus, close
    #[command(subcommand)]
    FiscalYear(money::FiscalYearCommand),
    /// Exports for other tools: the ledger for hledger, beancount or CSV
    #[command(subcommand)]
    Export(money::ExportCommand),
    /// Write a consistent copy of the database to FILE (safe while the server runs)
    Backup { file: PathBuf },
    /// Replace the data directory's database with a verified backup
    Restore {
        file: PathBuf,
        /// Replace a co-op that is already in the data directory
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
struct InitArgs {
    #[arg(long)]
    name: String,
    /// ISO 4217 code
    #[arg(long, default_value = "USD")]
    currency: String,
    /// IANA time zone, Area/City
    #[arg(long, default_value = "UTC")]
    timezone: String,
    /// First day of the fiscal year, MM-DD
    #[arg(long, default_value = "01-01")]
    fiscal_year_start: String,
    /// Default language: en or ar
    #[arg(long, default_value = "en")]
    language: String,
    /// Default length of a candidacy
    #[arg(long, default_value_t = 9)]
    candidacy_months: i32,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum MemberCommand {
    /// Add a person with their first state
    Add(AddArgs),
    /// List members with their state today
    List {
        #[arg(long)]
        json: bool,
        /// Only this state
        #[arg(long)]
        state: Option<String>,
        /// Part of a name or email
        #[arg(long)]
        search: Option<String>,
    },
    /// Show a member with their history
    Show {
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a member's name, email or language
    Edit {
        email: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        new_email: Option<String>,
        /// en or ar; "" clears it (the co-op's language applies)
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record a change of state: applicant candidate member on_leave departed
    SetState {
        email: String,
        state: String,
        /// The first day of the new state, YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        on: String,
        #[arg(long, default_value = "")]
        note: String,
        /// For a candidacy: its planned end (default: the co-op's candidacy length)
        #[arg(long, value_name = "DATE")]
        planned_end: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Replace a member's roles with a comma list ("admin,secretary"; "" removes all)
    SetRoles {
        email: String,
        roles: String,
        #[arg(long)]
        json: bool,
    },
    /// Print a one-time password reset link for a member
    ResetLink {
        email: String,
        /// Where the web app is reached
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
        #[arg(long)]
        json: bool,
    },
    /// Set a member's password from one line of standard input
    SetPassword {
        email: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Args)]
struct AddArgs {
    #[arg(long)]
    name: String,
    #[arg(long)]
    email: String,
    /// applicant, candidate or member
    #[arg(long, default_value = "applicant")]
    state: String,
    /// The first day of that state, YYYY-MM-DD (default: today)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// For a candidate: the planned end of the candidacy
    #[arg(long, value_name = "DATE")]
    planned_end: Option<String>,
    #[arg(long, default_value = "")]
    note: String,
    /// Read the password from one line of standard input
    #[arg(long)]
    password_stdin: bool,
    /// admin or secretary; repeatable, or a comma list
    #[arg(long = "role", value_name = "ROLE")]
    roles: Vec<String>,
    /// en or ar
    #[arg(long)]
    language: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum JournalCommand {
    /// Recompute the hash chain and every seal
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Entries, newest first
    List {
        #[arg(long, default_value_t = 20)]
        limit: i64,
        /// Only actions starting with this, e.g. "member."
        #[arg(long, value_name = "PREFIX")]
        action: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    // `coop demo` must not pick up $COOP_DATA (a real co-op) by accident: only an explicit
    // `--data` moves it away from ./coop-demo-data.
    let data_on_command_line = matches.value_source("data") == Some(ValueSource::CommandLine);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(&anyhow!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(run(cli, data_on_command_line)) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

async fn run(cli: Cli, data_on_command_line: bool) -> anyhow::Result<ExitCode> {
    let dir = config::data_dir(cli.data.as_deref());
    match cli.command {
        Command::Init(args) => init(&dir, args).await?,
        Command::Serve { addr } => {
            let app = open_existing(&dir).await?;
            serve(app, addr, None).await?;
        }
        Command::Demo { addr } => {
            let dir = if data_on_command_line { dir } else { PathBuf::from("coop-demo-data") };
            run_demo(&dir, addr).await?;
        }
        Command::Member(cmd) => {
            let app = open_existing(&dir).await?;
            let result = member(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Journal(cmd) => {
            let app = open_existing(&dir).await?;
            let result = journal(&app, cmd).await;
            app.close().await;
            return result;
        }
        Command::Class(cmd) => {
            let app = open_existing(&dir).await?;
            let result = decisions::class(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Proposal(cmd) => {
            let app = open_existing(&dir).await?;
            let result = decisions::proposal(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Vote(args) => {
            let app = open_existing(&dir).await?;
            let result = decisions::vote(&app, args).await;
            app.close().await;
            result?;
        }
        Command::Meeting(cmd) => {
            let app = open_existing(&dir).await?;
            let result = meetings::meeting(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Calendar(cmd) => {
            let app = open_existing(&dir).await?;
            let result = meetings::calendar(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Election(cmd) => {
            let app = open_existing(&dir).await?;
            let result = crate::cli_elections::run_election(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Ballot(args) => {
            let app = open_existing(&dir).await?;
            let result = crate::cli_elections::run_ballot(&app, args).await;
            app.close().await;
            result?;
        }
        Command::Hours(cmd) => {
            let app = open_existing(&dir).await?;
            let result = work::hours(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Commitment(cmd) => {
            let app = open_existing(&dir).await?;
            let result = work::commitment(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Leave(cmd) => {
            let app = open_existing(&dir).await?;
            let result = pay::leave(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Project(cmd) => {
            let app = open_existing(&dir).await?;
            let result = pay::project(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Kind(cmd) => {
            let app = open_existing(&dir).await?;
            let result = pay::kind(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Pay(cmd) => {
            let app = open_existing(&dir).await?;
            let result = pay::pay(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Patronage(cmd) => {
            let app = open_existing(&dir).await?;
            let result = money::patronage(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Capital(cmd) => {
            let app = open_existing(&dir).await?;
            let result = money::capital(&app, cmd).await;
            app.close().await;
            return result;
        }
        Command::FiscalYear(cmd) => {
            let app = open_existing(&dir).await?;
            let result = money::fiscal_year(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Export(cmd) => {
            let app = open_existing(&dir).await?;
            let result = money::export(&app, cmd).await;
            app.close().await;
            result?;
        }
        Command::Backup { file } => backup(&dir, &file).await?,
        Command::Restore { file, force } => restore(&dir, &file, force).await?,
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// Output

/// Prints the one line a failed command owes its caller and returns exit code 1. An invalid
/// field is named first (`error: email: ...`) so a script knows which input to fix.
fn fail(e: &anyhow::Error) -> ExitCode {
    let reason = match e.downcast_ref::<AppError>() {
        Some(AppError::Invalid { field, message }) => format!("{field}: {message}"),
        _ => format!("{e:#}"),
    };
    eprintln!("error: {}", one_line(&reason));
    ExitCode::FAILURE
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints one JSON document on stdout.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

/// Prints rows under a header, each column as wide as its widest cell.
pub(crate) fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn state_text(state: Option<MemberState>) -> &'static str {
    state.map(MemberState::as_str).unwrap_or("-")
}

fn roles_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

// ---------------------------------------------------------------------------------------------
// Input

fn date_arg(field: &str, text: &str) -> Result<Date, AppError> {
    coop_core::time::parse_date(text).map_err(|m| AppError::invalid(field, m))
}

fn opt_date_arg(field: &str, text: Option<&str>) -> Result<Option<Date>, AppError> {
    text.map(|t| date_arg(field, t)).transpose()
}

fn state_arg(text: &str) -> Result<MemberState, AppError> {
    MemberState::parse(text).map_err(|e| AppError::invalid("state", e.to_string()))
}

fn roles_arg(text: &str) -> Result<Vec<Role>, AppError> {
    Role::parse_list(text).map_err(|m| AppError::invalid("roles", m))
}

/// One line of standard input without its line ending (`--password-stdin`), so that a
/// password never shows in the process list or the shell history.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

// ---------------------------------------------------------------------------------------------
// Opening the co-op

async fn open_app(url: &str) -> anyhow::Result<App> {
    Ok(App::open(url, Arc::new(SystemClock), AppConfig::default()).await?)
}

/// `$COOP_DATABASE_URL` when it is set (the database then lives outside the data directory).
fn database_url_override() -> Option<String> {
    std::env::var("COOP_DATABASE_URL").ok().filter(|u| !u.trim().is_empty())
}

/// Opens the co-op in `dir`. Refuses without creating a database file when there is none,
/// so that a mistyped `--data` leaves nothing behind.
async fn open_existing(dir: &Path) -> anyhow::Result<App> {
    if database_url_override().is_none() && !config::sqlite_file(dir).exists() {
        return Err(AppError::NotInitialised.into());
    }
    let app = open_app(&config::database_url(dir)?).await?;
    if let Err(e) = app.settings().await {
        app.close().await;
        return Err(e.into());
    }
    Ok(app)
}

pub(crate) async fn member_id(app: &App, email: &str) -> anyhow::Result<i64> {
    Ok(app.member_id_by_email(OP, email).await?)
}

// ---------------------------------------------------------------------------------------------
// Commands

async fn init(dir: &Path, a: InitArgs) -> anyhow::Result<()> {
    // Validate before opening, so that bad input does not even create the database file.
    let settings = CoopSettings::new(&a.name, &a.currency, &a.timezone, &a.fiscal_year_start, &a.language, a.candidacy_months)
        .map_err(|e| AppError::invalid(e.field, e.message))?;
    let app = open_app(&config::database_url(dir)?).await?;
    let result = app.init(&settings).await;
    app.close().await;
    result?;
    if a.json {
        let mut doc = serde_json::to_value(&settings)?;
        doc["data_dir"] = serde_json::Value::String(dir.display().to_string());
        print_json(&doc)
    } else {
        println!("initialised {} in {}", settings.name, dir.display());
        Ok(())
    }
}

async fn serve(app: App, addr: SocketAddr, banner: Option<String>) -> anyhow::Result<()> {
    // The binary owns logging; it goes to stderr so stdout stays for what scripts read.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .try_init();
    let secure_cookies = std::env::var("COOP_SECURE_COOKIES").is_ok_and(|v| v.trim() == "1");
    web::serve(app, addr, web::ServeOptions { banner, secure_cookies }).await
}

/// Marks a data directory as made by `coop demo`, which may then wipe it.
const DEMO_MARKER: &str = "DEMO";

/// The demo always uses the SQLite file of its own directory (never `$COOP_DATABASE_URL`): it
/// deletes that database on every start, which must never reach a real co-op.
async fn run_demo(dir: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    let db = config::sqlite_file(dir);
    if db.exists() {
        if !dir.join(DEMO_MARKER).exists() {
            bail!("{} holds a co-op that `coop demo` did not make; give the demo a new directory with --data", dir.display());
        }
        remove_sqlite_files(&db)?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(dir.join(DEMO_MARKER), "made by `coop demo`, which replaces this directory's co-op on every start\n")?;
    let url = coop_store::sqlite_url_for_dir(&std::fs::canonicalize(dir)?);
    let app = open_app(&url).await?;
    let login = demo::seed(&app).await?;
    println!("login: {}", login.email);
    println!("password: {}", login.password);
    std::io::stdout().flush()?;
    let banner = format!("Sign in as {} with password {}", login.email, login.password);
    serve(app, addr, Some(banner)).await
}

async fn member(app: &App, cmd: MemberCommand) -> anyhow::Result<()> {
    match cmd {
        MemberCommand::Add(a) => {
            let mut roles = Vec::new();
            for r in &a.roles {
                roles.extend(roles_arg(r)?);
            }
            roles.sort();
            roles.dedup();
            let new = NewMember {
                name: a.name,
                email: a.email,
                state: Some(state_arg(&a.state)?),
                since: opt_date_arg("since", a.since.as_deref())?,
                planned_end: opt_date_arg("planned_end", a.planned_end.as_deref())?,
                note: a.note,
                roles,
                // Passed with the rest so that a refused password adds nobody.
                password: if a.password_stdin { Some(read_password()?) } else { None },
                language: a.language,
            };
            let m = app.add_member(OP, new).await?;
            if a.json {
                return print_json(&m);
            }
            println!("added {} {} as {} since {} (id {})", m.name, m.email, state_text(m.state), m.since.as_deref().unwrap_or("-"), m.id);
        }
        MemberCommand::List { json, state, search } => {
            let filter = MemberFilter { search, state: state.as_deref().map(state_arg).transpose()? };
            let members = app.list_members(OP, &filter).await?;
            if json {
                return print_json(&members);
            }
            let rows: Vec<Vec<String>> = members
                .iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.name.clone(),
                        m.email.clone(),
                        state_text(m.state).to_string(),
                        m.since.clone().unwrap_or_default(),
                        roles_text(&m.roles),
                    ]
                })
                .collect();
            print_table(&["ID", "NAME", "EMAIL", "STATE", "SINCE", "ROLES"], &rows);
        }
        MemberCommand::Show { email, json } => {
            let d = app.member(OP, member_id(app, &email).await?).await?;
            if json {
                return print_json(&d);
            }
            print_member(&d);
        }
        MemberCommand::Edit { email, name, new_email, language, json } => {
            let id = member_id(app, &email).await?;
            let language = language.map(|l| Some(l).filter(|l| !l.trim().is_empty()));
            let m = app.update_member(OP, id, MemberEdit { name, email: new_email, language }).await?;
            print_summary(&m, json, "updated")?;
        }
        MemberCommand::SetState { email, state, on, note, planned_end, json } => {
            let input = StateInput {
                state: state_arg(&state)?,
                on: Some(date_arg("on", &on)?),
                note,
                planned_end: opt_date_arg("planned_end", planned_end.as_deref())?,
            };
            let d = app.change_state(OP, member_id(app, &email).await?, input).await?;
            if json {
                return print_json(&d);
            }
            // The state today may differ from the one recorded when it is dated in the future.
            let recorded = d.history.last().map(|h| format!("{} from {}", h.state, h.since)).unwrap_or_default();
            println!("{} {}: {recorded} (today: {})", d.summary.name, d.summary.email, state_text(d.summary.state));
        }
        MemberCommand::SetRoles { email, roles, json } => {
            let roles = roles_arg(&roles)?;
            let m = app.set_roles(OP, member_id(app, &email).await?, roles).await?;
            print_summary(&m, json, "roles set for")?;
        }
        MemberCommand::ResetLink { email, base_url, json } => {
            let link = app.issue_reset(OP, member_id(app, &email).await?).await?;
            let url = format!("{}/reset/{}", base_url.trim_end_matches('/'), link.token);
            if json {
                return print_json(&serde_json::json!({"url": url, "expires_at": link.expires_at}));
            }
            println!("{url}");
            println!("works once, until {}", link.expires_at);
        }
        MemberCommand::SetPassword { email, password_stdin: _ } => {
            let id = member_id(app, &email).await?;
            app.set_password(OP, id, &read_password()?).await?;
            println!("password set for {email}; their sessions have ended");
        }
    }
    Ok(())
}

/// The short answer of the commands that change a profile or roles.
fn print_summary(m: &MemberSummary, json: bool, verb: &str) -> anyhow::Result<()> {
    if json {
        return print_json(m);
    }
    println!("{verb} {} {} (roles: {})", m.name, m.email, if m.roles.is_empty() { "none".into() } else { roles_text(&m.roles) });
    Ok(())
}

fn print_member(d: &MemberDetail) {
    let m = &d.summary;
    println!("{} <{}> (id {})", m.name, m.email, m.id);
    println!("state:    {} since {}", state_text(m.state), m.since.as_deref().unwrap_or("-"));
    if let Some(end) = &m.planned_end {
        println!("candidacy planned to end {end}{}", if d.candidacy_due { " (due)" } else { "" });
    }
    println!("roles:    {}", if m.roles.is_empty() { "none".into() } else { roles_text(&m.roles) });
    println!("password: {}", if d.has_password { "set" } else { "none" });
    println!("history:");
    let rows: Vec<Vec<String>> = d.history.iter().map(|h| vec![h.since.clone(), h.state.to_string(), h.note.clone()]).collect();
    print_table(&["SINCE", "STATE", "NOTE"], &rows);
}

async fn journal(app: &App, cmd: JournalCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        JournalCommand::Verify { json } => {
            let report = app.verify_journal(OP).await?;
            if json {
                print_json(&report)?;
            } else if report.ok() {
                println!("ok {} {}", report.entries, report.head);
            }
            if let Some(fault) = &report.fault {
                eprintln!("journal verify failed: {}", one_line(fault));
                return Ok(ExitCode::FAILURE);
            }
        }
        JournalCommand::List { limit, action, json } => {
            if !(1..=10_000).contains(&limit) {
                return Err(AppError::invalid("limit", "a limit is 1 to 10000 entries").into());
            }
            let entries = app.journal_entries(OP, &JournalFilter { action_prefix: action, limit, ..JournalFilter::default() }).await?;
            if json {
                print_json(&entries)?;
            } else {
                let rows: Vec<Vec<String>> =
                    entries.iter().map(|e| vec![e.seq.to_string(), e.at.clone(), e.actor.clone(), e.action.clone(), e.subject.clone()]).collect();
                print_table(&["SEQ", "AT", "ACTOR", "ACTION", "SUBJECT"], &rows);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Backup and restore copy the SQLite file; PostgreSQL has its own tools for that.
fn refuse_postgres(command: &str, tool: &str) -> anyhow::Result<()> {
    match database_url_override() {
        Some(url) if url.starts_with("postgres") => bail!("{command} is for the SQLite backend; with PostgreSQL (COOP_DATABASE_URL) use {tool}"),
        _ => Ok(()),
    }
}

async fn backup(dir: &Path, file: &Path) -> anyhow::Result<()> {
    refuse_postgres("backup", "pg_dump")?;
    let app = open_existing(dir).await?;
    let result = app.backup(file).await;
    app.close().await;
    result?;
    // Report what the file itself holds (not the live database, which may have moved on),
    // and prove on the way that it can be restored.
    let checked = inspect_copy(file, &dir.join(".backup-check.db")).await?;
    checked.discard();
    println!("backed up to {} ({} journal entries, head {})", file.display(), checked.entries, checked.head);
    Ok(())
}

/// Restore works on files, before and without opening the current database: a damaged
/// database must not stand in the way of its own replacement.
async fn restore(dir: &Path, file: &Path, force: bool) -> anyhow::Result<()> {
    refuse_postgres("restore", "pg_restore")?;
    if database_url_override().is_some() {
        bail!("restore writes {}; unset COOP_DATABASE_URL to restore into the data directory", config::sqlite_file(dir).display());
    }
    if !file.is_file() {
        bail!("{} not found", file.display());
    }
    let db = config::sqlite_file(dir);
    if db.exists() && !force {
        bail!("the data directory already holds a co-op; use --force to replace it");
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let checked = inspect_copy(file, &dir.join(".restore.db")).await?;
    // The old database's WAL must not outlive it; then one rename swaps the files.
    remove_side_files(&db)?;
    std::fs::rename(&checked.path, &db).with_context(|| format!("cannot move the restored database into {}", db.display()))?;
    println!("restored {} from {}: journal ok {} {}", checked.name, file.display(), checked.entries, checked.head);
    Ok(())
}

/// A verified copy of a coop database file.
struct CheckedCopy {
    path: PathBuf,
    name: String,
    entries: i64,
    head: String,
}

impl CheckedCopy {
    fn discard(&self) {
        let _ = remove_sqlite_files(&self.path);
    }
}

/// Copies `file` to `copy`, opens the copy (which migrates it) and verifies its journal.
/// The copy is removed unless it verifies.
async fn inspect_copy(file: &Path, copy: &Path) -> anyhow::Result<CheckedCopy> {
    if !is_sqlite_file(file) {
        bail!("{} is not a coop database (not a SQLite file)", file.display());
    }
    remove_sqlite_files(copy)?;
    std::fs::copy(file, copy).with_context(|| format!("cannot copy {}", file.display()))?;
    let checked = check_database(file, copy).await;
    if checked.is_err() {
        let _ = remove_sqlite_files(copy);
    }
    checked
}

async fn check_database(file: &Path, copy: &Path) -> anyhow::Result<CheckedCopy> {
    let url = format!("sqlite://{}?mode=rw", std::fs::canonicalize(copy)?.display());
    let app = open_app(&url).await.map_err(|e| anyhow!("{} is not a coop database ({e:#})", file.display()))?;
    let found = async {
        let settings = app.settings().await.map_err(|_| anyhow!("{} holds no co-op", file.display()))?;
        let report = app.verify_journal(OP).await?;
        Ok::<_, anyhow::Error>((settings, report))
    }
    .await;
    app.close().await;
    let (settings, report) = found?;
    // Closing checkpointed the WAL into the file; what is left beside it is empty.
    remove_side_files(copy)?;
    if let Some(fault) = report.fault {
        bail!("{} does not verify: {fault}", file.display());
    }
    Ok(CheckedCopy { path: copy.to_path_buf(), name: settings.name, entries: report.entries, head: report.head })
}

/// Checks the 16-byte SQLite header, so that a wrong file is refused at once instead of after
/// the pool's connection timeout.
fn is_sqlite_file(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header)).is_ok() && &header == b"SQLite format 3\0"
}

fn sqlite_side_files(db: &Path) -> [PathBuf; 2] {
    let with = |suffix: &str| {
        let mut s = db.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    [with("-wal"), with("-shm")]
}

/// Removes a SQLite database with its WAL and shared-memory files (the side files first, so a
/// stale WAL can never be applied to another database).
fn remove_sqlite_files(db: &Path) -> anyhow::Result<()> {
    remove_side_files(db)?;
    remove_if_present(db)
}

fn remove_side_files(db: &Path) -> anyhow::Result<()> {
    sqlite_side_files(db).iter().try_for_each(|p| remove_if_present(p))
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(anyhow!("cannot remove {}: {e}", path.display())),
        _ => Ok(()),
    }
}
