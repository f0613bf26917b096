//! Pay, projects, kinds of work and leave on the command line: `pay system propose|record|list`,
//! `pay run`, `pay approve`, `pay export`, `pay runs`, `project add|set|list`, `kind rate|rates`
//! and `leave take|cancel`.
//!
//! Same rules as the rest of the CLI: every command acts as the operator, calls one use case
//! and prints; `--json` prints one JSON document; a refusal is one `error: ...` line and exit 1.

use super::{date_arg, member_id, print_json, print_table, OP};
use clap::{Args, Subcommand};
use coop_app::pay::{parse_weight, Month, PayRunView};
use coop_app::{App, AppError};
use coop_core::money::Money;
use coop_core::pay::PaySystem;
use std::path::PathBuf;

#[derive(Subcommand)]
pub(super) enum PayCommand {
    /// The pay system: proposed to the co-op, recorded against a decision, listed
    #[command(subcommand)]
    System(SystemCommand),
    /// A month's pay under the system in force: the approved run, or a draft computed now
    Run(MonthArgs),
    /// Approve a month's run: it is sealed, and the month's hours and leave are locked
    Approve(MonthArgs),
    /// Write an approved month's run as CSV for the payroll provider
    Export {
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Every pay run, newest first
    Runs {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(super) struct MonthArgs {
    #[arg(long, value_name = "YYYY-MM")]
    month: String,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub(super) enum SystemCommand {
    /// Open a proposal to adopt the pay system in FILE (JSON) from a month; it applies if it passes
    Propose {
        file: PathBuf,
        #[arg(long, value_name = "YYYY-MM")]
        from: String,
        /// The decision class (the one that governs the rules if not given)
        #[arg(long)]
        class: Option<String>,
        /// When voting closes, RFC 3339 (a week from now if not given)
        #[arg(long, value_name = "INSTANT")]
        closes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record the pay system in FILE from a month, adopted by a proposal that has passed
    Record {
        file: PathBuf,
        #[arg(long, value_name = "YYYY-MM")]
        from: String,
        #[arg(long, value_name = "PROPOSAL_ID")]
        adopted_by: i64,
        #[arg(long)]
        json: bool,
    },
    /// Every version of the pay system, newest first
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum ProjectCommand {
    /// Add a project (billable unless --internal)
    Add {
        name: String,
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        internal: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change a project's client and whether it is billable
    Set {
        name: String,
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        internal: bool,
        #[arg(long)]
        json: bool,
    },
    /// Every project with its hours
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum KindCommand {
    /// Set a kind of work's hourly rate and patronage weight from a month on
    Rate {
        name: String,
        #[arg(long, value_name = "YYYY-MM")]
        from: String,
        /// Hourly rate, e.g. 50.00; without it the kind is paid at the system's general rate
        #[arg(long, value_name = "AMOUNT")]
        rate: Option<String>,
        /// Patronage weight, e.g. 1.5
        #[arg(long, value_name = "W", default_value = "1")]
        weight: String,
        #[arg(long)]
        json: bool,
    },
    /// Every version of every kind of work's rate
    Rates {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum LeaveCommand {
    /// Record paid leave on every working day from --from to --to (one day without --to)
    Take {
        email: String,
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a recorded day of leave
    Cancel {
        email: String,
        #[arg(long, value_name = "DATE")]
        date: String,
    },
}

fn read_system(file: &PathBuf) -> anyhow::Result<PaySystem> {
    let text = std::fs::read_to_string(file).map_err(|e| AppError::invalid("file", format!("cannot read {}: {e}", file.display())))?;
    Ok(PaySystem::from_json(&text).map_err(|e| AppError::invalid("file", e.to_string()))?)
}

fn print_run(run: &PayRunView) {
    println!("pay run {} ({}, pay system v{}): total {}", run.month, run.status, run.pay_system_version, run.total);
    let rows: Vec<Vec<String>> = run
        .members
        .iter()
        .map(|m| {
            let adj: i64 = m.adjustments.iter().map(|a| a.amount_cents).sum();
            vec![m.email.clone(), m.paid_hours.clone(), m.gross.clone(), Money(adj).to_decimal(), m.total.clone()]
        })
        .collect();
    print_table(&["EMAIL", "PAID HOURS", "GROSS", "ADJUSTMENTS", "TOTAL"], &rows);
    if let Some(note) = &run.bonus_note {
        println!("bonus pool: {note}");
    }
    let ratio = run.ratio.get("ratio").and_then(|v| v.as_str()).unwrap_or("-");
    let within = run.ratio.get("within_limit").and_then(|v| v.as_bool()).unwrap_or(true);
    let limit = run.ratio.get("limit").and_then(|v| v.as_str()).unwrap_or("none");
    println!("pay ratio {ratio} (limit {limit}){}", if within { "" } else { ": OVER THE LIMIT" });
    if let Some(hash) = &run.sealed_hash {
        println!("sealed {hash}");
    }
}

pub(super) async fn pay(app: &App, cmd: PayCommand) -> anyhow::Result<()> {
    match cmd {
        PayCommand::System(SystemCommand::Propose { file, from, class, closes, json }) => {
            let system = read_system(&file)?;
            let closes = closes.as_deref().map(|t| super::decisions::instant_arg("closes", t)).transpose()?;
            let (proposal, view) = app.propose_pay_system(OP, system, Month::parse(&from)?, class, closes).await?;
            if json {
                print_json(&serde_json::json!({"proposal": proposal, "version": view.version, "status": view.status, "effective_from": view.effective_from}))?;
            } else {
                println!("proposal {proposal} opened: pay system v{} from {} applies if it passes", view.version, view.effective_from);
            }
        }
        PayCommand::System(SystemCommand::Record { file, from, adopted_by, json }) => {
            let view = app.record_pay_system(OP, read_system(&file)?, Month::parse(&from)?, adopted_by).await?;
            if json {
                print_json(&view)?;
            } else {
                println!("pay system v{} in force from {}, adopted by proposal {}", view.version, view.effective_from, view.proposal_id);
            }
        }
        PayCommand::System(SystemCommand::List { json }) => {
            let systems = app.pay_systems(OP).await?;
            if json {
                print_json(&systems)?;
            } else {
                let rows: Vec<Vec<String>> = systems
                    .iter()
                    .map(|s| vec![s.version.to_string(), s.effective_from.clone(), s.status.clone(), s.proposal_id.to_string(), s.system.to_json()])
                    .collect();
                print_table(&["VERSION", "FROM", "STATUS", "PROPOSAL", "SYSTEM"], &rows);
            }
        }
        PayCommand::Run(a) => {
            let run = app.pay_run(OP, Month::parse(&a.month)?).await?;
            if a.json {
                print_json(&run)?;
            } else {
                print_run(&run);
            }
        }
        PayCommand::Approve(a) => {
            let run = app.approve_pay_run(OP, Month::parse(&a.month)?).await?;
            if a.json {
                print_json(&run)?;
            } else {
                print_run(&run);
            }
        }
        PayCommand::Export { month, out } => {
            let csv = app.pay_run_csv(OP, Month::parse(&month)?).await?;
            match out {
                Some(path) => std::fs::write(&path, csv).map_err(|e| AppError::invalid("out", format!("cannot write {}: {e}", path.display())))?,
                None => print!("{csv}"),
            }
        }
        PayCommand::Runs { json } => {
            let runs = app.pay_runs(OP).await?;
            if json {
                print_json(&runs)?;
            } else {
                let rows: Vec<Vec<String>> = runs.iter().map(|r| vec![r.month.clone(), r.status.clone(), r.members.len().to_string(), r.total.clone()]).collect();
                print_table(&["MONTH", "STATUS", "MEMBERS", "TOTAL"], &rows);
            }
        }
    }
    Ok(())
}

pub(super) async fn project(app: &App, cmd: ProjectCommand) -> anyhow::Result<()> {
    match cmd {
        ProjectCommand::Add { name, client, internal, json } => {
            let p = app.add_project(OP, &name, client.as_deref(), !internal).await?;
            if json {
                print_json(&p)?;
            } else {
                println!("added project {} ({})", p.name, if p.billable { "billable" } else { "internal" });
            }
        }
        ProjectCommand::Set { name, client, internal, json } => {
            let p = app.update_project(OP, &name, client.as_deref(), !internal).await?;
            if json {
                print_json(&p)?;
            } else {
                println!("project {} is {}", p.name, if p.billable { "billable" } else { "internal" });
            }
        }
        ProjectCommand::List { json } => {
            let projects = app.projects(OP).await?;
            if json {
                print_json(&projects)?;
            } else {
                let rows: Vec<Vec<String>> = projects
                    .iter()
                    .map(|p| vec![p.name.clone(), p.client.clone().unwrap_or_default(), if p.billable { "billable" } else { "internal" }.to_string(), p.hours.clone()])
                    .collect();
                print_table(&["PROJECT", "CLIENT", "KIND", "HOURS"], &rows);
            }
        }
    }
    Ok(())
}

pub(super) async fn kind(app: &App, cmd: KindCommand) -> anyhow::Result<()> {
    match cmd {
        KindCommand::Rate { name, from, rate, weight, json } => {
            let rate = rate.as_deref().map(|r| Money::parse(r).map_err(|m| AppError::invalid("rate", m))).transpose()?;
            let view = app.set_kind_rate(OP, &name, Month::parse(&from)?, rate, parse_weight(&weight)?).await?;
            if json {
                print_json(&view)?;
            } else {
                println!("{} from {}: rate {}, patronage weight {}", view.kind, view.effective_from, view.rate.as_deref().unwrap_or("general"), view.weight);
            }
        }
        KindCommand::Rates { json } => {
            let rates = app.kind_rates(OP).await?;
            if json {
                print_json(&rates)?;
            } else {
                let rows: Vec<Vec<String>> =
                    rates.iter().map(|r| vec![r.kind.clone(), r.effective_from.clone(), r.rate.clone().unwrap_or_else(|| "general".into()), r.weight.clone()]).collect();
                print_table(&["KIND", "FROM", "RATE", "WEIGHT"], &rows);
            }
        }
    }
    Ok(())
}

pub(super) async fn leave(app: &App, cmd: LeaveCommand) -> anyhow::Result<()> {
    match cmd {
        LeaveCommand::Take { email, from, to, note, json } => {
            let member = member_id(app, &email).await?;
            let from = date_arg("from", &from)?;
            let to = match to {
                Some(t) => date_arg("to", &t)?,
                None => from,
            };
            let days = app.take_leave(OP, member, from, to, &note).await?;
            if json {
                print_json(&serde_json::json!({"email": email, "days": days}))?;
            } else {
                println!("{} days of leave recorded for {email}: {}", days.len(), days.join(", "));
            }
        }
        LeaveCommand::Cancel { email, date } => {
            let member = member_id(app, &email).await?;
            app.cancel_leave(OP, member, date_arg("date", &date)?).await?;
            println!("leave of {email} on {date} removed");
        }
    }
    Ok(())
}
