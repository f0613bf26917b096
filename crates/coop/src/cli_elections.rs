//! The election commands: `coop election new|nominate|open|close|show|list|blt` and
//! `coop ballot`.
//!
//! Same rules as the rest of the CLI (see [`crate::cli`]): every command acts as the operator,
//! calls one use case and prints; `--json` prints one JSON document; a refusal is one
//! `error: ...` line and exit 1, and changes nothing. The count is always done by
//! `coop-core` (`coop_core::election`), never typed in: `election close` counts and seals.
//!
//! Elections past their closing time are closed by `coop serve`'s background task; a co-op
//! run from the command line alone gets the same because every command here first closes
//! the elections that are due.

use crate::cli::{member_id, print_json, print_table, OP};
use clap::{ArgGroup, Args, Subcommand};
use coop_app::elections::{ElectionInput, ElectionView};
use coop_app::{App, AppError};
use coop_core::election::{self, Action, Decision, Method, Round, TieBreak};
use coop_core::member::MemberState;
use coop_core::time::parse_instant;
use jiff::Timestamp;

#[derive(Subcommand)]
pub enum ElectionCommand {
    /// Create an election: open for ballots with --candidates, or taking nominations without
    New {
        #[arg(long)]
        title: String,
        /// How many seats it fills (IRV: exactly 1)
        #[arg(long, value_name = "N")]
        seats: u32,
        /// plurality, approval, irv or stv (Scottish STV)
        #[arg(long)]
        method: String,
        /// The candidates in ballot order, a comma list "A,B,C" (the order breaks last ties).
        /// Without it the election takes nominations until `coop election open`
        #[arg(long, value_name = "NAMES")]
        candidates: Option<String>,
        /// When voting closes (RFC 3339, e.g. 2030-06-01T17:00:00Z; default in a week)
        #[arg(long, value_name = "INSTANT")]
        closes: Option<String>,
        /// The member states that vote, a comma list (default: member)
        #[arg(long, value_name = "STATES")]
        eligible: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add a candidate while an election takes nominations
    Nominate {
        id: i64,
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// End nominations and open voting
    Open {
        id: i64,
        /// When voting closes (RFC 3339; default in a week)
        #[arg(long, value_name = "INSTANT")]
        closes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Close voting now: coop counts, records the rounds and seals the result
    Close {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Show an election: candidates, turnout and, once closed, winners and round-by-round table
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Elections, newest first
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print the ballots of a closed election as a BLT file (for other counting programs)
    Blt { id: i64 },
}

/// `coop ballot ELECTION_ID --member EMAIL (--ranking "A>B>C" | --approve "A,B" | --choice A)`.
#[derive(Args)]
#[command(group(ArgGroup::new("ballot").required(true).multiple(false).args(["ranking", "approve", "choice"])))]
pub struct BallotArgs {
    election_id: i64,
    /// The voter (the ballot is entered on their behalf, e.g. from a paper ballot)
    #[arg(long, value_name = "EMAIL")]
    member: String,
    /// IRV and STV: candidates in order of preference, "A>B>C"
    #[arg(long, value_name = "RANKING")]
    ranking: Option<String>,
    /// Approval: every approved candidate, "A,B"
    #[arg(long, value_name = "NAMES")]
    approve: Option<String>,
    /// Plurality: one candidate
    #[arg(long, value_name = "NAME")]
    choice: Option<String>,
    /// The receipt of the voter's first ballot: replaces that ballot
    #[arg(long, value_name = "CODE")]
    receipt: Option<String>,
    #[arg(long)]
    json: bool,
}

// ---------------------------------------------------------------------------------------------
// Input

fn instant_arg(field: &str, text: &str) -> Result<Timestamp, AppError> {
    parse_instant(text.trim())
        .map_err(|_| AppError::invalid(field, format!("{text:?} is not an RFC 3339 instant (write it like 2030-06-01T17:00:00Z or 2030-06-01T19:00:00+02:00)")))
}

fn states_arg(text: &str) -> Result<Vec<MemberState>, AppError> {
    let mut states = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let s = MemberState::parse(part).map_err(|e| AppError::invalid("eligible", e.to_string()))?;
        if !states.contains(&s) {
            states.push(s);
        }
    }
    if states.is_empty() {
        return Err(AppError::invalid("eligible", "name at least one member state, e.g. member,candidate"));
    }
    Ok(states)
}

/// The ballot flag each method takes.
fn ballot_flag(method: Method) -> &'static str {
    match method {
        Method::Plurality => "--choice A",
        Method::Approval => "--approve \"A,B\"",
        Method::Irv | Method::Stv => "--ranking \"A>B>C\"",
    }
}

// ---------------------------------------------------------------------------------------------
// Commands

async fn settle_due(app: &App) -> anyhow::Result<()> {
    app.close_due_elections().await?;
    Ok(())
}

pub async fn run_election(app: &App, cmd: ElectionCommand) -> anyhow::Result<()> {
    settle_due(app).await?;
    match cmd {
        ElectionCommand::New { title, seats, method, candidates, closes, eligible, json } => {
            let method = Method::parse(&method).map_err(|e| AppError::invalid("method", e.to_string()))?;
            let candidates = match candidates.as_deref() {
                Some(text) => election::parse_candidates(text).map_err(|e| AppError::invalid("candidates", e.to_string()))?,
                None => Vec::new(),
            };
            let closes_at = closes.as_deref().map(|t| instant_arg("closes", t)).transpose()?;
            if candidates.is_empty() && closes_at.is_some() {
                return Err(AppError::invalid(
                    "closes",
                    "an election without --candidates takes nominations first; give --closes to `coop election open ID` when voting opens",
                )
                .into());
            }
            let eligible = eligible.as_deref().map(states_arg).transpose()?.unwrap_or_default();
            let e = app.new_election(OP, ElectionInput { title, seats, method, candidates, closes_at, eligible }).await?;
            if json {
                return print_json(&e);
            }
            if e.status == "nominating" {
                println!("election {}: {} takes nominations ({}, {} seat{})", e.id, e.title, e.method, e.seats, plural(e.seats));
                println!("nominate with `coop election nominate {} --name NAME`, then open voting with `coop election open {}`", e.id, e.id);
            } else {
                print_opened(&e);
            }
        }
        ElectionCommand::Nominate { id, name, json } => {
            let e = app.nominate(OP, id, &name).await?;
            if json {
                return print_json(&e);
            }
            println!("nominated {} in election {}; candidates: {}", name.trim(), e.id, e.candidates.join(", "));
        }
        ElectionCommand::Open { id, closes, json } => {
            let closes_at = closes.as_deref().map(|t| instant_arg("closes", t)).transpose()?;
            let e = app.open_election(OP, id, closes_at).await?;
            if json {
                return print_json(&e);
            }
            print_opened(&e);
        }
        ElectionCommand::Close { id, json } => {
            let e = app.close_election(OP, id).await?;
            if json {
                return print_json(&e);
            }
            println!("closed election {}: {}", e.id, winners_text(&e));
        }
        ElectionCommand::Show { id, json } => {
            let e = app.election(OP, id).await?;
            if json {
                return print_json(&e);
            }
            print_election(&e);
        }
        ElectionCommand::List { json } => {
            let all = app.elections(OP).await?;
            if json {
                return print_json(&all);
            }
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        e.status.clone(),
                        e.method.to_string(),
                        e.seats.to_string(),
                        format!("{}/{}", e.turnout, e.eligible),
                        e.closes_at.clone().unwrap_or_else(|| "-".into()),
                        e.title.clone(),
                        e.winners.join(", "),
                    ]
                })
                .collect();
            print_table(&["ID", "STATUS", "METHOD", "SEATS", "VOTED", "CLOSES", "TITLE", "WINNERS"], &rows);
        }
        ElectionCommand::Blt { id } => {
            let text = app.election_blt(OP, id).await?;
            print!("{text}");
        }
    }
    Ok(())
}

pub async fn run_ballot(app: &App, a: BallotArgs) -> anyhow::Result<()> {
    settle_due(app).await?;
    let voter = member_id(app, &a.member).await?;
    let e = app.election(OP, a.election_id).await?;
    let (flag, text) = match (&a.ranking, &a.approve, &a.choice) {
        (Some(r), _, _) => ("ranking", r),
        (_, Some(x), _) => ("approve", x),
        (_, _, Some(c)) => ("choice", c),
        _ => return Err(AppError::invalid("ballot", "give --ranking, --approve or --choice").into()),
    };
    let wanted = match e.method {
        Method::Plurality => "choice",
        Method::Approval => "approve",
        Method::Irv | Method::Stv => "ranking",
    };
    if flag != wanted {
        return Err(AppError::invalid(
            "ballot",
            format!("election {} is counted by {}: give the ballot as {}, not --{flag}", e.id, e.method, ballot_flag(e.method)),
        )
        .into());
    }
    let receipt = app.cast_ballot(OP, e.id, voter, text, a.receipt.as_deref()).await?;
    if a.json {
        return print_json(&receipt);
    }
    if receipt.replaced {
        println!("replaced the ballot with that receipt in election {}", receipt.election_id);
    } else {
        println!("recorded the ballot of {} in election {}", a.member.trim(), receipt.election_id);
    }
    if let Some(code) = &receipt.receipt {
        println!("receipt: {code}");
        println!("keep it: it changes this ballot while voting is open, and finds it in the ballots published at close");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Output

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_opened(e: &ElectionView) {
    println!(
        "opened election {}: {} ({}, {} seat{}, candidates: {}; {} eligible, voting closes {})",
        e.id,
        e.title,
        e.method,
        e.seats,
        plural(e.seats),
        e.candidates.join(", "),
        e.eligible,
        e.closes_at.as_deref().unwrap_or("-")
    );
}

fn winners_text(e: &ElectionView) -> String {
    let mut s = format!("elected {}", if e.winners.is_empty() { "nobody".into() } else { e.winners.join(", ") });
    if let Some(q) = e.quota {
        s.push_str(&format!(" (quota {q})"));
    }
    s
}

fn tie_text(t: &election::Tie<String>) -> String {
    let how = match t.broken_by {
        TieBreak::EarlierRound { round } => format!("round {round}"),
        TieBreak::CandidateOrder => "candidate order".into(),
    };
    format!(" (tie with {} broken by {how})", t.among.join("/"))
}

fn decisions_text(ds: &[Decision<String>]) -> String {
    ds.iter().map(|d| format!("{}{}", d.candidate, d.tie.as_ref().map(tie_text).unwrap_or_default())).collect::<Vec<_>>().join(", ")
}

fn action_text(r: &Round<String>) -> String {
    match &r.action {
        Action::Count => "count".into(),
        Action::Surplus { candidate, surplus, tie } => {
            format!("surplus {surplus} of {candidate}{}", tie.as_ref().map(tie_text).unwrap_or_default())
        }
        Action::Exclusion { candidate } => format!("exclusion of {candidate}"),
    }
}

/// The readable form of `election show`: the facts, then the round-by-round table.
fn print_election(e: &ElectionView) {
    println!("election {}: {}", e.id, e.title);
    println!("status:     {}", e.status);
    println!("method:     {}, {} seat{}", e.method, e.seats, plural(e.seats));
    println!("candidates: {}", if e.candidates.is_empty() { "none yet".into() } else { e.candidates.join(", ") });
    if e.status != "nominating" {
        println!("voting:     {} to {}", e.opens_at.as_deref().unwrap_or("-"), e.closes_at.as_deref().unwrap_or("-"));
        println!("turnout:    {} of {} eligible", e.turnout, e.eligible);
    }
    if let Some(hash) = &e.sealed_hash {
        println!("sealed:     {hash}");
    }
    if e.status != "closed" {
        return;
    }
    if let Some(q) = e.quota {
        println!("quota:      {q}");
    }
    println!("winners:    {}", if e.winners.is_empty() { "nobody".into() } else { e.winners.join(", ") });
    println!();
    let ranked = matches!(e.method, Method::Irv | Method::Stv);
    let mut header: Vec<&str> = vec!["ROUND", "ACTION"];
    header.extend(e.candidates.iter().map(String::as_str));
    if ranked {
        header.push("EXHAUSTED");
    }
    if e.method == Method::Stv {
        header.push("ROUNDING");
    }
    header.extend(["ELECTED", "EXCLUDED"]);
    let rows: Vec<Vec<String>> = e
        .rounds
        .iter()
        .map(|r| {
            let mut row = vec![r.round.to_string(), action_text(r)];
            for c in &e.candidates {
                row.push(r.tallies.iter().find(|t| &t.candidate == c).map(|t| t.votes.to_string()).unwrap_or_else(|| "-".into()));
            }
            if ranked {
                row.push(r.non_transferable.to_string());
            }
            if e.method == Method::Stv {
                row.push(r.lost_to_rounding.to_string());
            }
            row.push(decisions_text(&r.elected));
            row.push(decisions_text(&r.excluded));
            row
        })
        .collect();
    print_table(&header, &rows);
    if !e.ballots.is_empty() {
        println!();
        println!("{} ballots published; find yours by the SHA-256 of your receipt in `coop election show {} --json`", e.ballots.len(), e.id);
    }
}
