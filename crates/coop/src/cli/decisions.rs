//! The decision commands of the contract: `class`, `proposal`, and `vote` (meetings are in
//! `meetings.rs`).
//!
//! Same rules as the rest of the CLI (see the parent module): every command acts as the
//! operator, calls one use case and prints; `--json` prints one JSON document; a refusal is
//! one `error: ...` line and exit 1. The outcome of a proposal is always computed by
//! `coop-app`/`coop-core`, never given on the command line: `proposal count` enters the show
//! of hands at a meeting, and coop decides what it means.

use super::{member_id, one_line, print_json, print_table, OP};
use clap::{Args, Subcommand};
use coop_app::decisions::{ClassChange, ClassInput, ClassView, ProposalInput, ProposalView, ResultsVisibility};
use coop_app::{App, AppError};
use coop_core::decision::{Choice, DecisionRule};
use coop_core::member::MemberState;
use coop_core::time::parse_instant;
use jiff::Timestamp;
use serde_json::Value;

#[derive(Subcommand)]
pub(super) enum ClassCommand {
    /// Set a decision class (before founding), or propose the change (after founding)
    Set(ClassSetArgs),
    /// The co-op's decision classes with their current rules
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(super) struct ClassSetArgs {
    name: String,
    /// The rule, e.g. '{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}'
    #[arg(long, value_name = "JSON")]
    rule_json: String,
    /// The member states that vote, a comma list
    #[arg(long, default_value = "member", value_name = "STATES")]
    eligible: String,
    /// When members see the tally: live, after-vote or after-close
    #[arg(long, default_value = "live")]
    results: String,
    /// Make this the class under which changes to the rules are decided
    #[arg(long)]
    governs: bool,
    /// After founding: when voting on the change closes (RFC 3339; default in a week)
    #[arg(long, value_name = "INSTANT")]
    closes: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub(super) enum ProposalCommand {
    /// Open a proposal for voting now (or for a show of hands at a meeting)
    New(ProposalNewArgs),
    /// Show a proposal: its rule, tally and outcome
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Proposals, newest first
    List {
        /// Only open proposals
        #[arg(long, conflicts_with = "decided")]
        open: bool,
        /// Only decided proposals
        #[arg(long)]
        decided: bool,
        #[arg(long)]
        json: bool,
    },
    /// Close voting now; coop computes the outcome
    Close {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Enter the show of hands of a proposal decided at a meeting; it is decided at once
    Count(CountArgs),
    /// Find a secret ballot in the list published at close by its receipt code
    Ballot {
        id: i64,
        #[arg(long, value_name = "CODE")]
        receipt: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a comment to an open proposal's discussion (written as the operator)
    Comment {
        id: i64,
        #[arg(long)]
        text: String,
    },
}

#[derive(Args)]
pub(super) struct ProposalNewArgs {
    #[arg(long)]
    class: String,
    #[arg(long)]
    title: String,
    /// Markdown
    #[arg(long, default_value = "")]
    body: String,
    /// When voting closes (RFC 3339, e.g. 2030-06-01T17:00:00Z; default in a week)
    #[arg(long, value_name = "INSTANT")]
    closes: Option<String>,
    /// A secret ballot: no link between a member and their choice is kept
    #[arg(long)]
    secret: bool,
    /// Decided at this meeting by a show of hands (`coop proposal count`)
    #[arg(long, value_name = "MEETING_ID")]
    meeting: Option<i64>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(super) struct CountArgs {
    id: i64,
    #[arg(long, value_name = "N")]
    yes: Option<u32>,
    #[arg(long, value_name = "N")]
    no: Option<u32>,
    #[arg(long, value_name = "N")]
    abstain: Option<u32>,
    #[arg(long, value_name = "N")]
    agree: Option<u32>,
    #[arg(long, value_name = "N")]
    stand_aside: Option<u32>,
    #[arg(long, value_name = "N")]
    block: Option<u32>,
    #[arg(long, value_name = "N")]
    consent: Option<u32>,
    #[arg(long, value_name = "N")]
    object: Option<u32>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(super) struct VoteArgs {
    proposal_id: i64,
    /// The voter (the command line enters a member's vote on their behalf)
    #[arg(long, value_name = "EMAIL")]
    member: String,
    /// yes, no, abstain; agree, stand_aside, block; consent, object
    #[arg(long)]
    choice: String,
    /// Why (required for block and object)
    #[arg(long)]
    reason: Option<String>,
    /// Secret ballot: the receipt of the earlier vote, to replace it
    #[arg(long, value_name = "CODE")]
    receipt: Option<String>,
    #[arg(long)]
    json: bool,
}

// ---------------------------------------------------------------------------------------------
// Input

pub(super) fn instant_arg(field: &str, text: &str) -> Result<Timestamp, AppError> {
    parse_instant(text.trim())
        .map_err(|_| AppError::invalid(field, format!("{text:?} is not an RFC 3339 instant (write it like 2030-06-01T17:00:00Z or 2030-06-01T19:00:00+02:00)")))
}

fn rule_arg(text: &str) -> Result<DecisionRule, AppError> {
    // The rule's own messages name the field at fault (`threshold: ...`, `fallback.base: ...`).
    DecisionRule::parse_json(text).map_err(|e| AppError::invalid("rule", e.to_string()))
}

fn states_arg(text: &str) -> Result<Vec<MemberState>, AppError> {
    let mut states = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let s = MemberState::parse(part).map_err(|e| AppError::invalid("eligible", e.to_string()))?;
        if !states.contains(&s) {
            states.push(s);
        }
    }
    Ok(states)
}

// ---------------------------------------------------------------------------------------------
// Commands

/// Proposals past their deadline are closed by `coop serve`'s background task; a co-op run
/// from the command line alone gets the same by settling them before any decision command,
/// so no command ever shows or accepts a vote on a proposal whose time is up.
async fn settle_due(app: &App) -> anyhow::Result<()> {
    app.close_due_proposals().await?;
    Ok(())
}

pub(super) async fn class(app: &App, cmd: ClassCommand) -> anyhow::Result<()> {
    match cmd {
        ClassCommand::Set(a) => {
            let input = ClassInput {
                name: a.name,
                rule: rule_arg(&a.rule_json)?,
                eligible: states_arg(&a.eligible)?,
                results: ResultsVisibility::parse(&a.results)?,
                governs_rules: a.governs,
            };
            let closes = a.closes.as_deref().map(|t| instant_arg("closes", t)).transpose()?;
            settle_due(app).await?;
            let change = app.set_class(OP, input, closes).await?;
            if a.json {
                return print_json(&change);
            }
            match change {
                ClassChange::Applied { class } => {
                    println!("class {} set (version {}): {}", class.name, class.version, class.rule.to_json());
                    println!("eligible: {}; results: {}{}", states_text(&class.eligible), class.results.as_str(), governs_text(&class));
                }
                ClassChange::Proposed { proposal } => {
                    println!("a change of the rules is decided by the co-op: opened proposal {} under class {}", proposal.id, proposal.class);
                    println!("voting closes {}", proposal.closes_at);
                }
            }
        }
        ClassCommand::List { json } => {
            let classes = app.classes(OP).await?;
            if json {
                return print_json(&classes);
            }
            let rows: Vec<Vec<String>> = classes
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        c.version.to_string(),
                        c.rule.to_json(),
                        states_text(&c.eligible),
                        c.results.as_str().to_string(),
                        if c.governs_rules { "yes".into() } else { String::new() },
                    ]
                })
                .collect();
            print_table(&["NAME", "VERSION", "RULE", "ELIGIBLE", "RESULTS", "GOVERNS"], &rows);
        }
    }
    Ok(())
}

fn states_text(states: &[MemberState]) -> String {
    states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

fn governs_text(c: &ClassView) -> &'static str {
    if c.governs_rules {
        "; governs the rules"
    } else {
        ""
    }
}

pub(super) async fn proposal(app: &App, cmd: ProposalCommand) -> anyhow::Result<()> {
    settle_due(app).await?;
    match cmd {
        ProposalCommand::New(a) => {
            let input = ProposalInput {
                class: a.class,
                title: a.title,
                body: a.body,
                closes_at: a.closes.as_deref().map(|t| instant_arg("closes", t)).transpose()?,
                secret: a.secret,
                meeting_id: a.meeting,
            };
            let p = app.new_proposal(OP, input).await?;
            if a.json {
                return print_json(&p);
            }
            match p.meeting_id {
                Some(m) => println!("opened proposal {}: {} (class {}, decided at meeting {m})", p.id, p.title, p.class),
                None => println!("opened proposal {}: {} (class {}, {} eligible, voting closes {})", p.id, p.title, p.class, p.eligible, p.closes_at),
            }
        }
        ProposalCommand::Show { id, json } => {
            let p = app.proposal(OP, id).await?;
            if json {
                return print_json(&p);
            }
            print_proposal(&p);
        }
        ProposalCommand::List { open, decided, json } => {
            let filter = match (open, decided) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            let proposals = app.proposals(OP, filter).await?;
            if json {
                return print_json(&proposals);
            }
            let rows: Vec<Vec<String>> = proposals
                .iter()
                .map(|p| vec![p.id.to_string(), p.status.clone(), p.round.to_string(), p.class.clone(), p.closes_at.clone(), p.title.clone()])
                .collect();
            print_table(&["ID", "STATUS", "ROUND", "CLASS", "CLOSES", "TITLE"], &rows);
        }
        ProposalCommand::Close { id, json } => {
            let p = app.close_proposal(OP, id).await?;
            if json {
                return print_json(&p);
            }
            print_outcome(&p);
        }
        ProposalCommand::Count(a) => {
            let given = [
                (Choice::Yes, a.yes),
                (Choice::No, a.no),
                (Choice::Abstain, a.abstain),
                (Choice::Agree, a.agree),
                (Choice::StandAside, a.stand_aside),
                (Choice::Block, a.block),
                (Choice::Consent, a.consent),
                (Choice::Object, a.object),
            ];
            let counts: Vec<(Choice, u32)> = given.into_iter().filter_map(|(c, n)| n.map(|n| (c, n))).collect();
            if counts.is_empty() {
                return Err(AppError::invalid("counts", "give the show of hands, e.g. --yes 5 --no 2 --abstain 1").into());
            }
            let p = app.count_hands(OP, a.id, &counts).await?;
            if a.json {
                return print_json(&p);
            }
            print_outcome(&p);
        }
        ProposalCommand::Ballot { id, receipt, json } => {
            let ballot = app
                .find_ballot(OP, id, &receipt)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("a ballot on proposal {id} with that receipt (secret ballots are published when voting closes)")))?;
            if json {
                return print_json(&ballot);
            }
            println!("ballot {} on proposal {id}: {} (round {})", ballot.id, ballot.choice, ballot.round);
        }
        ProposalCommand::Comment { id, text } => {
            app.comment(OP, id, &text).await?;
            println!("comment added to proposal {id}");
        }
    }
    Ok(())
}

pub(super) async fn vote(app: &App, a: VoteArgs) -> anyhow::Result<()> {
    settle_due(app).await?;
    let voter = member_id(app, &a.member).await?;
    let receipt = app.vote(OP, a.proposal_id, voter, &a.choice, a.reason.as_deref(), a.receipt.as_deref()).await?;
    if a.json {
        return print_json(&receipt);
    }
    let choice = Choice::parse(&a.choice).map(|c| c.as_str().to_string()).unwrap_or(a.choice);
    let verb = if receipt.replaced { "replaced" } else { "recorded" };
    println!("{verb} the vote of {} on proposal {} (round {}): {choice}", a.member, receipt.proposal_id, receipt.round);
    if let Some(code) = &receipt.receipt {
        println!("receipt: {code} (keep it to find or change your ballot)");
    }
    match &receipt.closed_with {
        Some(status) => println!("everyone eligible has voted: proposal {} is {status}", receipt.proposal_id),
        None if !receipt.replaced => {
            // The last vote of a consensus round with a block opens the fallback round.
            let p = app.proposal(OP, receipt.proposal_id).await?;
            if p.status == "open" && p.round > receipt.round {
                println!("a block stands: proposal {} goes to round {} under the fallback vote, closing {}", p.id, p.round, p.closes_at);
            }
        }
        None => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Output

/// The counts of the current round in the rule's order: "yes 3, no 1, abstain 0".
fn tally_text(p: &ProposalView) -> String {
    match &p.tally {
        None => "hidden until voting closes".to_string(),
        Some(t) => p
            .rule
            .choices(p.round)
            .iter()
            .map(|c| format!("{} {}", c.as_str(), t.get(c.as_str()).and_then(Value::as_u64).unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// What `close` and `count` print: the outcome, or the second round it opened.
fn print_outcome(p: &ProposalView) {
    if p.status == "open" {
        println!("proposal {} goes to round {} under the fallback vote, closing {}", p.id, p.round, p.closes_at);
        if let Some(s) = &p.summary {
            println!("round 1 ended with a block; now: {}", one_line(s));
        }
        return;
    }
    println!("proposal {}: {}", p.id, p.summary.as_deref().map(one_line).unwrap_or_else(|| p.status.clone()));
    if let Some(h) = &p.sealed_hash {
        println!("sealed {h}");
    }
}

/// `proposal show` without `--json`: a readable page with the rule quoted.
fn print_proposal(p: &ProposalView) {
    println!("proposal {}: {}", p.id, p.title);
    println!("class:    {} (version {})", p.class, p.class_version);
    println!("rule:     {}", p.rule.to_json());
    let rounds = p.rule.rounds();
    let round = if rounds > 1 { format!(", round {} of {rounds}", p.round) } else { String::new() };
    match (p.status.as_str(), &p.decided_at) {
        ("open", _) => println!("status:   open{round}, voting closes {}", p.closes_at),
        (status, Some(at)) => println!("status:   {status}{round}, decided {at}"),
        (status, None) => println!("status:   {status}{round}"),
    }
    if let Some(m) = p.meeting_id {
        println!("meeting:  {m} (decided by a show of hands)");
    }
    println!("eligible: {}; voted this round: {}{}", p.eligible, p.turnout, if p.secret { " (secret ballot)" } else { "" });
    println!("tally:    {}", tally_text(p));
    if let Some(s) = &p.summary {
        let label = if p.status == "open" { "if it closed now" } else { "outcome" };
        println!("{label}: {}", one_line(s));
    }
    if p.status == "open" && !p.results_hidden && p.meeting_id.is_none() {
        let support = p.rule.for_round(p.round).map(|r| r.support().as_str()).unwrap_or("yes");
        match p.needed_to_pass {
            Some(0) => println!("to pass:  enough support now"),
            Some(n) => println!("to pass:  needs {n} more {support} vote{}", if n == 1 { "" } else { "s" }),
            None => println!("to pass:  it can no longer pass in this round"),
        }
    }
    if let Some(h) = &p.sealed_hash {
        println!("sealed:   {h}");
    }
    if let Some(a) = &p.amendment {
        println!("adopts:   {a}");
    }
    if !p.votes.is_empty() {
        println!("votes:");
        let rows: Vec<Vec<String>> = p.votes.iter().map(|v| vec![v.name.clone(), v.choice.clone(), v.cast_at.clone(), one_line(&v.reason)]).collect();
        print_table(&["MEMBER", "CHOICE", "CAST", "REASON"], &rows);
    }
    if !p.ballots.is_empty() {
        println!("ballots (find yours with `coop proposal ballot {} --receipt CODE`):", p.id);
        let rows: Vec<Vec<String>> = p.ballots.iter().map(|b| vec![b.round.to_string(), b.choice.clone(), b.receipt_hash.clone()]).collect();
        print_table(&["ROUND", "CHOICE", "RECEIPT SHA-256"], &rows);
    }
    if !p.comments.is_empty() {
        println!("comments:");
        for c in &p.comments {
            println!("  {} {}: {}", c.created_at, c.author.as_deref().unwrap_or("operator"), one_line(&c.body));
        }
    }
    if !p.body.trim().is_empty() {
        println!();
        println!("{}", p.body.trim_end());
    }
}
