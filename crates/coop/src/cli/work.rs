//! The work commands of the contract: `hours log`, `hours import`, `hours report`,
//! `hours balance` and `commitment set`.
//!
//! Same rules as the rest of the CLI (see the parent module): every command acts as the
//! operator, calls one use case and prints; `--json` prints one JSON document; a refusal is
//! one `error: ...` line and exit 1. A bad import file is refused whole, and the line says
//! which line of the file and why (`error: file: line 3: ...`). The CLI creates projects and
//! kinds of work it does not know yet, both for `hours log` and for `hours import`.

use super::{date_arg, member_id, print_json, print_table, OP};
use clap::{Args, Subcommand};
use coop_app::work::NewTimeEntry;
use coop_app::{App, AppError};
use coop_core::hours::{parse_hours, parse_total_hours};
use coop_core::import::{Format, Mapping};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(super) enum HoursCommand {
    /// Record hours worked by a member on a day (a day holds at most 24 hours)
    Log(LogArgs),
    /// Import a CSV file from Toggl, Kimai, Harvest or the generic format, all or nothing
    Import(ImportArgs),
    /// Each member's hours in a year, by kind of work
    Report {
        #[arg(long)]
        year: i16,
        #[arg(long)]
        json: bool,
    },
    /// Change an entry's hours with a reason, keeping the old value (the only way in a month
    /// whose pay run is approved; the next run settles the difference)
    Correct {
        entry_id: i64,
        #[arg(long, value_name = "H")]
        hours: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// The corrections trail, oldest first
    Corrections {
        #[arg(long)]
        json: bool,
    },
    /// A member's hours against their commitment on a date
    Balance {
        email: String,
        #[arg(long)]
        year: i16,
        #[arg(long, value_name = "DATE")]
        on: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(super) struct LogArgs {
    #[arg(long, value_name = "EMAIL")]
    member: String,
    #[arg(long, value_name = "DATE")]
    date: String,
    /// `7.5`, `7,5`, `7:30`, `7h30m`...
    #[arg(long, value_name = "H")]
    hours: String,
    #[arg(long)]
    project: Option<String>,
    /// The kind of work
    #[arg(long)]
    category: Option<String>,
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(super) struct ImportArgs {
    file: PathBuf,
    /// generic, toggl, kimai or harvest (guessed from the header when not given)
    #[arg(long)]
    format: Option<String>,
    /// Show what would be imported and write nothing
    #[arg(long)]
    dry_run: bool,
    /// Read the file's project NAME as the co-op's project OURS (`NAME=OURS`; `NAME=` drops it); repeatable
    #[arg(long, value_name = "NAME=OURS")]
    map_project: Vec<String>,
    /// Read the file's kind of work NAME as the co-op's OURS (`NAME=OURS`; `NAME=` drops it); repeatable
    #[arg(long, value_name = "NAME=OURS")]
    map_kind: Vec<String>,
    /// Refuse the file if it names a project or kind of work the co-op does not have (instead of creating it)
    #[arg(long)]
    no_new_names: bool,
    #[arg(long)]
    json: bool,
}

/// `NAME=OURS` pairs into a map from the file's names to the co-op's.
fn mapping_pairs(field: &str, pairs: &[String]) -> Result<std::collections::HashMap<String, String>, AppError> {
    pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(from, to)| (from.trim().to_string(), to.trim().to_string()))
                .filter(|(from, _)| !from.is_empty())
                .ok_or_else(|| AppError::invalid(field, format!("{p:?} is not NAME=OURS")))
        })
        .collect()
}

#[derive(Subcommand)]
pub(super) enum CommitmentCommand {
    /// Set a member's declared hours for a year and leave entitlement in weeks
    Set {
        email: String,
        #[arg(long)]
        year: i16,
        /// Declared hours for the year, e.g. 1560
        #[arg(long, value_name = "H")]
        hours: String,
        #[arg(long, value_name = "W", default_value_t = 0)]
        leave_weeks: u8,
        #[arg(long)]
        json: bool,
    },
}

pub(super) async fn hours(app: &App, cmd: HoursCommand) -> anyhow::Result<()> {
    match cmd {
        HoursCommand::Log(a) => {
            let member_id = member_id(app, &a.member).await?;
            let date = date_arg("date", &a.date)?;
            let minutes = parse_hours(&a.hours).map_err(|e| AppError::invalid("hours", e.to_string()))?;
            let entry = NewTimeEntry { member_id, date, minutes, project: a.project, category: a.category, note: a.note, create_unknown: true };
            let logged = app.log_hours(OP, entry).await?;
            if a.json {
                print_json(&logged)?;
            } else {
                println!("logged {} hours for {} on {} (day total {})", logged.hours, a.member, logged.date, logged.day_total);
            }
        }
        HoursCommand::Import(a) => {
            let format = a.format.as_deref().map(|f| f.parse::<Format>().map_err(|m| AppError::invalid("format", m))).transpose()?;
            let bytes = std::fs::read(&a.file).map_err(|e| AppError::invalid("file", format!("cannot read {}: {e}", a.file.display())))?;
            let text = String::from_utf8(bytes).map_err(|_| AppError::invalid("file", "the file is not UTF-8 text; save it as UTF-8 CSV"))?;
            let mapping = Mapping {
                projects: mapping_pairs("map_project", &a.map_project)?,
                categories: mapping_pairs("map_kind", &a.map_kind)?,
                create_unknown: !a.no_new_names,
            };
            let report = app.import_hours(OP, &text, format, a.dry_run, &mapping).await?;
            if a.json {
                print_json(&report)?;
            } else {
                let verb = if report.dry_run { "would import" } else { "imported" };
                println!("{verb} {} of {} rows ({} hours) from a {} file", report.would_import, report.rows, report.hours, report.format.as_str());
                if !report.duplicates.is_empty() {
                    let lines: Vec<String> = report.duplicates.iter().map(|l| l.to_string()).collect();
                    println!("likely duplicates at lines {}", lines.join(", "));
                }
                if !report.created_projects.is_empty() {
                    println!("new projects: {}", report.created_projects.join(", "));
                }
                if !report.created_categories.is_empty() {
                    println!("new kinds of work: {}", report.created_categories.join(", "));
                }
            }
        }
        HoursCommand::Report { year, json } => {
            let rows = app.hours_report(OP, year).await?;
            if json {
                print_json(&rows)?;
            } else {
                let table: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| vec![r.email.clone(), r.hours.clone(), r.by_category.iter().map(|(k, h)| format!("{k} {h}")).collect::<Vec<_>>().join(", ")])
                    .collect();
                print_table(&["EMAIL", "HOURS", "BY KIND OF WORK"], &table);
            }
        }
        HoursCommand::Correct { entry_id, hours, reason, json } => {
            let minutes = parse_hours(&hours).map_err(|e| AppError::invalid("hours", e.to_string()))?;
            let k = app.correct_entry(OP, entry_id, minutes, &reason).await?;
            if json {
                print_json(&k)?;
            } else {
                println!("entry {} of {}: {} hours, was {} ({})", k.entry_id, k.date, k.new_hours, k.old_hours, k.reason);
            }
        }
        HoursCommand::Corrections { json } => {
            let trail = app.corrections(OP).await?;
            if json {
                print_json(&trail)?;
            } else {
                let rows: Vec<Vec<String>> = trail
                    .iter()
                    .map(|k| {
                        let settled = k.settled_in.map(|r| format!("run {r}")).unwrap_or_else(|| "-".into());
                        vec![k.entry_id.to_string(), k.date.clone(), k.old_hours.clone(), k.new_hours.clone(), k.actor.clone(), settled, k.reason.clone()]
                    })
                    .collect();
                print_table(&["ENTRY", "DATE", "WAS", "NOW", "BY", "SETTLED", "REASON"], &rows);
            }
        }
        HoursCommand::Balance { email, year, on, json } => {
            let member_id = member_id(app, &email).await?;
            let on = date_arg("on", &on)?;
            let b = app.hours_balance(OP, member_id, year, on).await?;
            if json {
                print_json(&b)?;
            } else {
                println!("declared          {}", b.declared);
                println!("expected to date  {}", b.expected_to_date);
                println!("worked            {}", b.worked);
                println!("balance           {}", b.balance);
            }
        }
    }
    Ok(())
}

pub(super) async fn commitment(app: &App, cmd: CommitmentCommand) -> anyhow::Result<()> {
    match cmd {
        CommitmentCommand::Set { email, year, hours, leave_weeks, json } => {
            let member_id = member_id(app, &email).await?;
            let declared = parse_total_hours(&hours).map_err(|e| AppError::invalid("hours", e.to_string()))?;
            app.set_commitment(OP, member_id, year, declared, leave_weeks).await?;
            if json {
                print_json(&serde_json::json!({"email": email, "year": year, "declared": declared.to_hours_string(), "leave_weeks": leave_weeks}))?;
            } else {
                println!("{email} commits to {declared} hours in {year} with {leave_weeks} weeks of leave");
            }
        }
    }
    Ok(())
}
