//! The meeting and calendar commands of the contract (`meeting ...`, `calendar export`).
//!
//! Same rules as the rest of the CLI (see the parent module): every command acts as the
//! operator (the record keeper at the keyboard), calls one use case and prints; `--json`
//! prints one JSON document; a refusal is one `error: ...` line and exit 1. Exports go to
//! stdout, or to `--out FILE` (written only once the export succeeded).

use super::decisions::instant_arg;
use super::{member_id, print_json, print_table, OP};
use clap::Subcommand;
use coop_app::meetings::{ExportFormat, ItemInput, MeetingInput, MeetingView};
use coop_app::{App, AppError};
use coop_core::meeting::Repeat;
use coop_core::time::{instant_text, parse_date};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub(super) enum MeetingCommand {
    /// Schedule a meeting, or a series (--repeat with --count or --until)
    New {
        #[arg(long)]
        title: String,
        /// When it starts (RFC 3339); a series keeps this local time in the co-op's time zone
        #[arg(long, value_name = "INSTANT")]
        at: String,
        /// general, production, board or committee
        #[arg(long, default_value = "general")]
        kind: String,
        #[arg(long, default_value_t = 90)]
        minutes_long: i64,
        /// Where it happens
        #[arg(long, default_value = "")]
        place: String,
        /// An online link (https://...)
        #[arg(long, default_value = "")]
        link: String,
        /// weekly, monthly or every-N-weeks (e.g. every-6-weeks)
        #[arg(long)]
        repeat: Option<String>,
        /// How many meetings the series has
        #[arg(long)]
        count: Option<usize>,
        /// The last date of the series (YYYY-MM-DD, in the co-op's time zone)
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record a member's attendance: present, remote, absent or excused (remote counts as present)
    Attend {
        meeting_id: i64,
        #[arg(long, value_name = "EMAIL")]
        member: String,
        #[arg(long = "as", value_name = "ATTENDANCE")]
        attendance: String,
        #[arg(long)]
        json: bool,
    },
    /// Add an item to the agenda
    Item {
        meeting_id: i64,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        notes: String,
        /// A proposal discussed (or decided) under this item
        #[arg(long, value_name = "PROPOSAL_ID")]
        proposal: Option<i64>,
        #[arg(long, value_name = "EMAIL")]
        presenter: Option<String>,
        /// The item's time box in minutes
        #[arg(long, value_name = "MINUTES")]
        minutes: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Suggest an item (it waits for `meeting accept`)
    Suggest {
        meeting_id: i64,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
    /// Put a suggested item on the agenda
    Accept { item_id: i64 },
    /// Put the agenda in this order: every item id once, e.g. --order 3,1,2
    Reorder {
        meeting_id: i64,
        #[arg(long, value_name = "IDS")]
        order: String,
    },
    /// Publish the agenda to members
    Publish { meeting_id: i64 },
    /// Write an item's notes (replacing them)
    Notes {
        item_id: i64,
        #[arg(long)]
        notes: String,
    },
    /// Give a role (facilitator, note-taker, timekeeper) to a member
    Role {
        meeting_id: i64,
        #[arg(long)]
        role: String,
        #[arg(long, value_name = "EMAIL")]
        member: String,
    },
    /// Suggest who takes each role: who did it least recently
    Rotation {
        meeting_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Record an action with an owner and a due date
    Action {
        meeting_id: i64,
        #[arg(long)]
        title: String,
        #[arg(long, value_name = "EMAIL")]
        owner: String,
        #[arg(long, value_name = "DATE")]
        due: String,
        /// The agenda item it came from
        #[arg(long, value_name = "ITEM_ID")]
        item: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Mark an action done (or open again with --undo)
    Done {
        action_id: i64,
        #[arg(long)]
        undo: bool,
    },
    /// Open actions across meetings (overdue ones flagged)
    Actions {
        #[arg(long, value_name = "EMAIL")]
        member: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Send the draft minutes round for reading
    Circulate { meeting_id: i64 },
    /// Take circulated minutes back to draft
    Reopen { meeting_id: i64 },
    /// Approve the minutes: they are sealed, and later change only as errata
    Approve {
        meeting_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Open a proposal to approve the minutes (decided at --at-meeting, or by a vote)
    ProposeApproval {
        meeting_id: i64,
        #[arg(long)]
        class: String,
        #[arg(long, value_name = "MEETING_ID")]
        at_meeting: Option<i64>,
        #[arg(long, value_name = "INSTANT")]
        closes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Append an erratum to approved minutes
    Erratum {
        meeting_id: i64,
        #[arg(long)]
        text: String,
    },
    /// A meeting with its agenda, attendance, decisions and their quorum, actions and seal
    Show {
        meeting_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Meetings, soonest first
    List {
        #[arg(long)]
        json: bool,
    },
    /// The minutes as md, html or pdf, or the meeting as an ics event
    Export {
        meeting_id: i64,
        #[arg(long)]
        format: String,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(super) enum CalendarCommand {
    /// iCalendar of meetings and proposal deadlines (a member's: the deadlines they vote on)
    Export {
        #[arg(long, value_name = "EMAIL")]
        member: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn date_arg(field: &str, text: &str) -> Result<jiff::civil::Date, AppError> {
    parse_date(text).map_err(|m| AppError::invalid(field, m))
}

/// Writes `bytes` to `out`, or to standard output.
fn emit(bytes: &[u8], out: Option<&Path>) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        None => {
            let mut o = std::io::stdout().lock();
            o.write_all(bytes)?;
            o.flush()?;
            Ok(())
        }
    }
}

pub(super) async fn meeting(app: &App, cmd: MeetingCommand) -> anyhow::Result<()> {
    match cmd {
        MeetingCommand::New { title, at, kind, minutes_long, place, link, repeat, count, until, json } => {
            let starts = instant_arg("at", &at)?;
            let repeat = repeat.as_deref().map(Repeat::parse).transpose().map_err(|m| AppError::invalid("repeat", m))?;
            let until = until.as_deref().map(|u| date_arg("until", u)).transpose()?;
            let input = MeetingInput { title, kind, starts_at: starts, minutes_long, place, link, repeat, count, until };
            let ids = app.schedule_meeting(OP, input).await?;
            let first = app.meeting(OP, ids[0]).await?;
            if json {
                let mut doc = serde_json::to_value(&first)?;
                doc["meetings"] = json!(ids);
                return print_json(&doc);
            }
            if ids.len() == 1 {
                println!("scheduled meeting {}: {} at {}", first.id, first.title, first.local_time);
            } else {
                println!("scheduled {} meetings ({}..{}): {} from {}", ids.len(), ids[0], ids[ids.len() - 1], first.title, first.local_time);
            }
        }
        MeetingCommand::Attend { meeting_id, member, attendance, json } => {
            let attendance = attendance.trim().to_lowercase();
            let id = member_id(app, &member).await?;
            app.attend(OP, meeting_id, id, &attendance).await?;
            let [present, remote, absent, excused] = app.attendance_counts(OP, meeting_id).await?;
            if json {
                return print_json(&json!({
                    "meeting_id": meeting_id, "member": member, "as": attendance,
                    "attendance": {"present": present, "remote": remote, "absent": absent, "excused": excused},
                }));
            }
            println!("{member}: {attendance} at meeting {meeting_id} (now {present} present, {remote} remote, {absent} absent, {excused} excused)");
        }
        MeetingCommand::Item { meeting_id, title, notes, proposal, presenter, minutes, json } => {
            let presenter_id = match presenter {
                Some(p) => Some(member_id(app, &p).await?),
                None => None,
            };
            let id = app.add_item(OP, meeting_id, ItemInput { title, notes, presenter_id, minutes_box: minutes, proposal_id: proposal }).await?;
            if json {
                return print_json(&json!({"id": id, "meeting_id": meeting_id}));
            }
            println!("added item {id} to meeting {meeting_id}");
        }
        MeetingCommand::Suggest { meeting_id, title, notes, json } => {
            let id = app.suggest_item(OP, meeting_id, &title, &notes).await?;
            if json {
                return print_json(&json!({"id": id, "meeting_id": meeting_id, "state": "suggested"}));
            }
            println!("suggested item {id} for meeting {meeting_id}");
        }
        MeetingCommand::Accept { item_id } => {
            app.accept_item(OP, item_id).await?;
            println!("item {item_id} is on the agenda");
        }
        MeetingCommand::Reorder { meeting_id, order } => {
            let ids = order
                .split(',')
                .map(|s| s.trim().parse::<i64>().map_err(|_| AppError::invalid("order", format!("{s:?} is not an item id (write --order 3,1,2)"))))
                .collect::<Result<Vec<_>, _>>()?;
            app.reorder_agenda(OP, meeting_id, &ids).await?;
            println!("agenda of meeting {meeting_id} reordered");
        }
        MeetingCommand::Publish { meeting_id } => {
            app.publish_agenda(OP, meeting_id).await?;
            println!("agenda of meeting {meeting_id} published");
        }
        MeetingCommand::Notes { item_id, notes } => {
            app.set_notes(OP, item_id, &notes).await?;
            println!("notes of item {item_id} saved");
        }
        MeetingCommand::Role { meeting_id, role, member } => {
            let id = member_id(app, &member).await?;
            app.set_role(OP, meeting_id, &role, id).await?;
            println!("{member} is {role} at meeting {meeting_id}");
        }
        MeetingCommand::Rotation { meeting_id, json } => {
            let s = app.suggest_roles(OP, meeting_id).await?;
            if json {
                return print_json(&s);
            }
            let rows: Vec<Vec<String>> = s.iter().map(|r| vec![r.role.replace('_', "-"), r.name.clone(), r.email.clone()]).collect();
            print_table(&["ROLE", "SUGGESTED", "EMAIL"], &rows);
        }
        MeetingCommand::Action { meeting_id, title, owner, due, item, json } => {
            let due = date_arg("due", &due)?;
            let owner_id = member_id(app, &owner).await?;
            let id = app.add_action(OP, meeting_id, &title, owner_id, due, item).await?;
            if json {
                return print_json(&json!({"id": id, "meeting_id": meeting_id, "owner": owner, "due": due.to_string()}));
            }
            println!("action {id}: {} for {owner} by {due}", title.trim());
        }
        MeetingCommand::Done { action_id, undo } => {
            app.set_action_done(OP, action_id, !undo).await?;
            println!("action {action_id} {}", if undo { "open again" } else { "done" });
        }
        MeetingCommand::Actions { member, json } => {
            let owner = match member {
                Some(m) => Some(member_id(app, &m).await?),
                None => None,
            };
            let actions = app.open_actions(OP, owner).await?;
            if json {
                return print_json(&actions);
            }
            let rows: Vec<Vec<String>> = actions
                .iter()
                .map(|a| {
                    vec![a.id.to_string(), a.due.clone(), if a.overdue { "overdue".into() } else { String::new() }, a.owner_email.clone(), a.title.clone()]
                })
                .collect();
            print_table(&["ID", "DUE", "", "OWNER", "ACTION"], &rows);
        }
        MeetingCommand::Circulate { meeting_id } => {
            app.circulate_minutes(OP, meeting_id).await?;
            println!("minutes of meeting {meeting_id} circulated");
        }
        MeetingCommand::Reopen { meeting_id } => {
            app.reopen_minutes(OP, meeting_id).await?;
            println!("minutes of meeting {meeting_id} back to draft");
        }
        MeetingCommand::Approve { meeting_id, json } => {
            let v = app.approve_minutes(OP, meeting_id).await?;
            if json {
                return print_json(&v);
            }
            println!("minutes of meeting {meeting_id} approved and sealed: {}", v.sealed_hash.as_deref().unwrap_or("-"));
        }
        MeetingCommand::ProposeApproval { meeting_id, class, at_meeting, closes, json } => {
            let closes = closes.as_deref().map(|c| instant_arg("closes", c)).transpose()?;
            let p = app.propose_minutes_approval(OP, meeting_id, &class, at_meeting, closes).await?;
            if json {
                return print_json(&p);
            }
            println!("proposal {}: {} (closes {})", p.id, p.title, p.closes_at);
        }
        MeetingCommand::Erratum { meeting_id, text } => {
            let id = app.add_erratum(OP, meeting_id, &text).await?;
            println!("erratum {id} appended to the minutes of meeting {meeting_id}");
        }
        MeetingCommand::Show { meeting_id, json } => {
            let v = app.meeting(OP, meeting_id).await?;
            if json {
                return print_json(&v);
            }
            print_meeting(&v);
        }
        MeetingCommand::List { json } => {
            let list = app.meetings(OP, None, None).await?;
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|m| vec![m.id.to_string(), m.local_time.clone(), m.kind.clone(), m.status.clone(), m.minutes_status.clone(), m.title.clone()])
                .collect();
            print_table(&["ID", "WHEN", "KIND", "STATUS", "MINUTES", "TITLE"], &rows);
        }
        MeetingCommand::Export { meeting_id, format, out } => {
            let format = ExportFormat::parse(&format)?;
            let bytes = app.export_meeting(OP, meeting_id, format).await?;
            emit(&bytes, out.as_deref())?;
        }
    }
    Ok(())
}

pub(super) async fn calendar(app: &App, cmd: CalendarCommand) -> anyhow::Result<()> {
    match cmd {
        CalendarCommand::Export { member, out } => {
            let member = match member {
                Some(m) => Some(member_id(app, &m).await?),
                None => None,
            };
            let text = app.calendar(OP, member).await?;
            emit(text.as_bytes(), out.as_deref())
        }
    }
}

fn print_meeting(v: &MeetingView) {
    println!("meeting {}: {} ({} meeting)", v.id, v.title, v.kind);
    println!("when: {} for {} minutes ({})", v.local_time, v.minutes_long, instant_text(v.at.parse().unwrap_or_default()));
    if !v.place.is_empty() {
        println!("place: {}", v.place);
    }
    if !v.link.is_empty() {
        println!("online: {}", v.link);
    }
    println!("status: {}; minutes {}", v.status, v.minutes_status);
    let a = &v.attendance;
    println!("attendance: {} present, {} remote, {} absent, {} excused", a.present, a.remote, a.absent, a.excused);
    for r in &v.roles {
        println!("{}: {}", r.role.replace('_', "-"), r.name);
    }
    for i in &v.items {
        let tag = if i.state == "suggested" { " (suggested)" } else { "" };
        println!("item {} #{}: {}{tag}", i.position, i.id, i.title);
        if !i.notes.is_empty() {
            println!("  notes: {}", super::one_line(&i.notes));
        }
    }
    for d in &v.decisions {
        let quorum = match &d.quorum {
            Some(q) => format!("quorum {q}: {} of {} needed, {} present{}", d.needed, d.eligible, d.present, if d.met { "" } else { " (not met)" }),
            None => "no quorum".to_string(),
        };
        println!("decision #{} {} [{}]: {}; {quorum}", d.proposal_id, d.title, d.class, d.status);
    }
    for a in &v.actions {
        println!(
            "action {}: {} - {} by {}{}",
            a.id,
            a.title,
            a.owner,
            a.due,
            if a.done {
                " (done)"
            } else if a.overdue {
                " (overdue)"
            } else {
                ""
            }
        );
    }
    if let Some(h) = &v.sealed_hash {
        println!("sealed: {h}");
    }
    for e in &v.errata {
        println!("erratum {} ({}): {}", e.id, e.at, super::one_line(&e.text));
    }
}
