//! Decisions: the co-op's decision classes, proposals, votes, secret ballots, decisions at
//! meetings, and closing with an outcome the system computes and seals.

use crate::notify::Event;
use crate::{policy, Actor, App, AppError, Result};
use coop_core::decision::{evaluate, votes_to_pass, Choice, DecisionRule, Outcome, Tally};
use coop_core::journal::sha256_hex;
use coop_core::member::MemberState;
use coop_core::time::{instant_text, parse_instant};
use coop_store::decisions::{self as store, ClassRow, NewProposal, ProposalRow};
use coop_store::members::MemberQuery;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde::Serialize;
use serde_json::{json, Value};

/// When a class's running tally may be seen by members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultsVisibility {
    /// Everyone sees the tally while voting is open.
    Live,
    /// A member sees the tally once they have voted.
    AfterVote,
    /// Nobody sees the tally until the proposal is decided.
    AfterClose,
}

impl ResultsVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultsVisibility::Live => "live",
            ResultsVisibility::AfterVote => "after_vote",
            ResultsVisibility::AfterClose => "after_close",
        }
    }

    pub fn parse(s: &str) -> Result<ResultsVisibility> {
        match s.trim().replace('-', "_").as_str() {
            "live" => Ok(ResultsVisibility::Live),
            "after_vote" => Ok(ResultsVisibility::AfterVote),
            "after_close" => Ok(ResultsVisibility::AfterClose),
            other => Err(AppError::invalid("results", format!("{other:?} is not a results setting (live, after_vote or after_close)"))),
        }
    }
}

/// A decision class as shown: the current version of its rule.
#[derive(Clone, Debug, Serialize)]
pub struct ClassView {
    pub name: String,
    pub version: i64,
    pub rule: DecisionRule,
    pub eligible: Vec<MemberState>,
    pub results: ResultsVisibility,
    pub governs_rules: bool,
    /// The proposal that adopted this version (none for versions set before founding).
    pub adopted_by: Option<i64>,
}

/// A class as given to `class set`.
#[derive(Clone, Debug)]
pub struct ClassInput {
    pub name: String,
    pub rule: DecisionRule,
    pub eligible: Vec<MemberState>,
    pub results: ResultsVisibility,
    /// Make this the class under which changes to the rules are decided.
    pub governs_rules: bool,
}

/// What `class set` did: applied directly (before founding) or opened a proposal (after).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ClassChange {
    Applied { class: ClassView },
    Proposed { proposal: Box<ProposalView> },
}

/// A new proposal.
#[derive(Clone, Debug, Default)]
pub struct ProposalInput {
    pub class: String,
    pub title: String,
    pub body: String,
    /// The end of voting; a week from now if not given.
    pub closes_at: Option<Timestamp>,
    pub secret: bool,
    /// Decided at this meeting by a show of hands.
    pub meeting_id: Option<i64>,
}

/// One open vote as shown.
#[derive(Clone, Debug, Serialize)]
pub struct VoteView {
    pub member_id: i64,
    pub name: String,
    pub choice: String,
    pub reason: String,
    pub cast_at: String,
}

/// One secret ballot as published at close: find yours by the hash of your receipt.
#[derive(Clone, Debug, Serialize)]
pub struct BallotView {
    pub id: String,
    pub round: i64,
    pub choice: String,
    pub receipt_hash: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommentView {
    pub id: i64,
    pub author: Option<String>,
    pub body: String,
    pub created_at: String,
}

/// A proposal as the contract's `proposal show --json` gives it, with more for the pages.
#[derive(Clone, Debug, Serialize)]
pub struct ProposalView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub class: String,
    pub class_version: i64,
    pub rule: DecisionRule,
    pub status: String,
    pub eligible: u32,
    /// The counts of this round's choices; `null` while the class hides results from this viewer.
    pub tally: Option<Value>,
    pub round: u8,
    pub sealed_hash: Option<String>,
    pub opens_at: String,
    pub closes_at: String,
    pub secret: bool,
    pub meeting_id: Option<i64>,
    pub results_hidden: bool,
    /// How many have voted this round (shown even when results are hidden).
    pub turnout: u32,
    /// The evaluation (`coop_core::decision::Evaluation` as JSON): final once decided,
    /// else what the tally would give now.
    pub evaluation: Option<Value>,
    /// "passed: 5 of 6 votes cast, two-thirds needed, quorum 4 of 7 met".
    pub summary: Option<String>,
    /// While open: more supporting votes needed to pass (null if it can no longer pass).
    pub needed_to_pass: Option<u32>,
    pub votes: Vec<VoteView>,
    pub ballots: Vec<BallotView>,
    pub comments: Vec<CommentView>,
    /// The class change this proposal adopts if it passes.
    pub amendment: Option<Value>,
    /// The viewer's own vote this round (open ballots only).
    pub my_vote: Option<String>,
    pub decided_at: Option<String>,
}

/// What a vote returns.
#[derive(Clone, Debug, Serialize)]
pub struct VoteReceipt {
    pub proposal_id: i64,
    pub round: u8,
    /// True when this vote replaced an earlier one.
    pub replaced: bool,
    /// For a secret ballot: the code to find (and change) the ballot. Shown once.
    pub receipt: Option<String>,
    /// Set when this vote was the last one and the proposal closed with it.
    pub closed_with: Option<String>,
}

/// One vote as [`App::vote`] checked it at the edge, for the write transaction.
struct Cast<'a> {
    proposal_id: i64,
    voter_id: i64,
    choice: Choice,
    reason: &'a str,
    receipt: Option<&'a str>,
    now_text: &'a str,
}

/// How long voting lasts when no deadline is given.
pub const DEFAULT_VOTING_DAYS: i64 = 7;

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn parse_states(s: &str) -> Vec<MemberState> {
    s.split(',').filter_map(|p| MemberState::parse(p).ok()).collect()
}

fn states_text(states: &[MemberState]) -> String {
    states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

fn rule_of(json: &str) -> Result<DecisionRule> {
    DecisionRule::parse_json(json).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(format!("stored rule: {e}"))))
}

fn class_view(c: &ClassRow) -> Result<ClassView> {
    Ok(ClassView {
        name: c.name.clone(),
        version: c.version.version,
        rule: rule_of(&c.version.rule_json)?,
        eligible: parse_states(&c.version.eligible_states),
        results: ResultsVisibility::parse(&c.version.results_visibility)?,
        governs_rules: c.governs_rules,
        adopted_by: c.version.adopted_by,
    })
}

fn tally_of(choices: &[String]) -> Tally {
    Tally::from_choices(choices.iter().filter_map(|c| Choice::parse(c).ok()))
}

fn valid_title(title: &str) -> Result<String> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > 300 {
        return Err(AppError::invalid("title", "a title has 1 to 300 characters"));
    }
    Ok(t.to_string())
}

impl App {
    /// The decision classes with their current rules.
    pub async fn classes(&self, actor: &Actor) -> Result<Vec<ClassView>> {
        policy::view_decisions(actor)?;
        let mut c = self.store.read().await?;
        store::classes(&mut c).await?.iter().map(class_view).collect()
    }

    /// Sets a class. Before founding (no proposal decided yet) the change applies at once;
    /// after founding it becomes a proposal under the governing class, applied if it passes.
    pub async fn set_class(&self, actor: &Actor, input: ClassInput, closes_at: Option<Timestamp>) -> Result<ClassChange> {
        policy::manage_rules(actor)?;
        let name = input.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 || name.contains(',') {
            return Err(AppError::invalid("name", "a class name has 1 to 100 characters and no comma"));
        }
        if input.eligible.is_empty() {
            return Err(AppError::invalid("eligible", "name at least one state that votes (e.g. member)"));
        }
        if input.eligible.contains(&MemberState::Departed) {
            return Err(AppError::invalid("eligible", "departed members no longer take part: they cannot be given a vote"));
        }
        let amendment = json!({
            "class": name, "rule": input.rule, "eligible": states_text(&input.eligible),
            "results": input.results.as_str(), "governs_rules": input.governs_rules,
        });
        let founded = {
            let mut c = self.store.read().await?;
            store::any_decided(&mut c).await?
        };
        if founded {
            let governing = {
                let mut c = self.store.read().await?;
                store::governing_class(&mut c).await?
            }
            .ok_or_else(|| AppError::Conflict("no class governs the rules; this should not happen after founding".into()))?;
            let proposal = self
                .open_proposal(
                    actor,
                    ProposalInput {
                        class: governing.name.clone(),
                        title: format!("Set the decision class {name:?}"),
                        body: format!("Adopt this rule for the class {name:?}:\n\n```json\n{}\n```", amendment),
                        closes_at,
                        secret: false,
                        meeting_id: None,
                    },
                    Some(amendment),
                )
                .await?;
            return Ok(ClassChange::Proposed { proposal: Box::new(proposal) });
        }
        let mut tx = self.store.begin_write().await?;
        let class = self.apply_class(&mut tx, actor, &amendment, None).await?;
        tx.commit().await?;
        Ok(ClassChange::Applied { class })
    }

    /// Writes a class version from an amendment (directly, or when its proposal passed).
    async fn apply_class(&self, tx: &mut coop_store::WriteTx, actor: &Actor, amendment: &Value, adopted_by: Option<i64>) -> Result<ClassView> {
        let field = |k: &str| amendment.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let name = field("class");
        let rule = DecisionRule::from_value(&amendment["rule"]).map_err(|e| AppError::invalid("rule", e.to_string()))?;
        let governs = amendment.get("governs_rules").and_then(Value::as_bool).unwrap_or(false);
        let now = self.now_text();
        let existing = store::class_by_name(tx, &name).await?;
        let (class_id, version) = match &existing {
            Some(c) => (c.id, c.version.version + 1),
            None => (store::insert_class(tx, &name, false, &now).await?, 1),
        };
        store::insert_class_version(tx, class_id, version, &rule.to_json(), &field("eligible"), &field("results"), adopted_by, &now).await?;
        // The first class governs until another is marked; marking one moves the role.
        if governs || store::governing_class(tx).await?.is_none() {
            store::set_governing(tx, class_id).await?;
        }
        self.journal(tx, actor, "class.set", &format!("class:{name}"), json!({"version": version, "amendment": amendment, "adopted_by": adopted_by}))
            .await?;
        let row = store::class_by_name(tx, &name).await?.ok_or_else(|| AppError::NotFound(format!("class {name}")))?;
        class_view(&row)
    }

    /// Opens a proposal for voting now.
    pub async fn new_proposal(&self, actor: &Actor, input: ProposalInput) -> Result<ProposalView> {
        self.open_proposal(actor, input, None).await
    }

    pub(crate) async fn open_proposal(&self, actor: &Actor, input: ProposalInput, amendment: Option<Value>) -> Result<ProposalView> {
        policy::propose(actor)?;
        let title = valid_title(&input.title)?;
        if input.body.chars().count() > 100_000 {
            return Err(AppError::invalid("body", "a proposal's text has at most 100,000 characters"));
        }
        let now = self.clock.now();
        let today = self.today().await?;
        let mut tx = self.store.begin_write().await?;
        let class = store::class_by_name(&mut tx, input.class.trim())
            .await?
            .ok_or_else(|| AppError::invalid("class", format!("there is no decision class {:?}; see `coop class list`", input.class.trim())))?;
        let rule = rule_of(&class.version.rule_json)?;
        // A consensus whose fallback vote counts those present needs the meeting as much as a vote does.
        let uses_present = (1..=rule.rounds())
            .any(|r| matches!(rule.for_round(r), Some(coop_core::decision::RoundRule::Vote(v)) if v.base == coop_core::decision::Base::Present));
        let closes_at = match input.meeting_id {
            Some(mid) => {
                let (_, _, _, starts_at, minutes, status) =
                    store::meeting(&mut tx, mid).await?.ok_or_else(|| AppError::invalid("meeting", format!("there is no meeting {mid}")))?;
                if status == "approved" {
                    return Err(AppError::invalid("meeting", "that meeting's minutes are approved; decide at another meeting"));
                }
                let start = parse_instant(&starts_at).map_err(|e| AppError::invalid("meeting", e))?;
                start.checked_add(SignedDuration::from_mins(minutes)).unwrap_or(start)
            }
            None => {
                if uses_present {
                    return Err(AppError::invalid("meeting", "this class counts the members present: give the meeting that decides it"));
                }
                let closes = input.closes_at.unwrap_or_else(|| now.checked_add(SignedDuration::from_hours(24 * DEFAULT_VOTING_DAYS)).unwrap_or(now));
                if closes <= now {
                    return Err(AppError::invalid("closes", "the closing time must be in the future"));
                }
                closes
            }
        };
        if input.meeting_id.is_some() && input.secret {
            return Err(AppError::invalid("secret", "a show of hands at a meeting is not secret"));
        }
        let eligible_states = parse_states(&class.version.eligible_states);
        let members = coop_store::members::list(&mut tx, &today.to_string(), &MemberQuery::default()).await?;
        let eligible: Vec<i64> = members.iter().filter(|m| m.state.is_some_and(|s| eligible_states.contains(&s))).map(|m| m.id).collect();
        let now_text = instant_text(now);
        let amendment_text = amendment.as_ref().map(coop_core::journal::canonical_json);
        let id = store::insert_proposal(
            &mut tx,
            &NewProposal {
                class_version_id: class.version.id,
                title: &title,
                body: &input.body,
                author_id: actor.member_id(),
                opens_at: &now_text,
                closes_at: &instant_text(closes_at),
                secret: input.secret,
                meeting_id: input.meeting_id,
                amendment_json: amendment_text.as_deref(),
                created_at: &now_text,
            },
        )
        .await?;
        store::insert_eligible(&mut tx, id, &eligible).await?;
        self.journal(
            &mut tx,
            actor,
            "proposal.open",
            &format!("proposal:{id}"),
            json!({"title": title, "class": class.name, "class_version": class.version.version, "eligible": eligible.len(),
                   "closes_at": instant_text(closes_at), "secret": input.secret, "meeting": input.meeting_id, "amendment": amendment}),
        )
        .await?;
        tx.commit().await?;
        self.notifier.notify(&Event::Opened { proposal_id: id, title: title.clone(), closes_at: instant_text(closes_at) });
        self.proposal(actor, id).await
    }

    /// Casts (or replaces) `voter_id`'s vote. For a secret ballot, a first vote returns a
    /// receipt code; changing it later needs that code.
    ///
    /// The vote goes through the store's group commit: votes that arrive together share one
    /// transaction (each in its own savepoint, so a refused vote undoes only itself) and one
    /// fsync, and each is answered only after that commit. Everything checked about the vote
    /// (the proposal is open, the voter eligible, the choice valid) is read inside the
    /// transaction that records it, so it cannot change in between.
    pub async fn vote(&self, actor: &Actor, proposal_id: i64, voter_id: i64, choice: &str, reason: Option<&str>, receipt: Option<&str>) -> Result<VoteReceipt> {
        policy::vote_as(actor, voter_id)?;
        let choice = Choice::parse(choice).map_err(|e| AppError::invalid("choice", e.to_string()))?;
        let reason = reason.map(str::trim).unwrap_or("").to_string();
        if reason.chars().count() > 5000 {
            return Err(AppError::invalid("reason", "a reason has at most 5,000 characters"));
        }
        let now_text = instant_text(self.clock.now());
        let app = self.handle();
        let actor_owned = actor.clone();
        let receipt = receipt.map(str::to_string);
        let recorded = self
            .store
            .write_grouped(move |tx| {
                Box::pin(async move {
                    let cast = Cast { proposal_id, voter_id, choice, reason: &reason, receipt: receipt.as_deref(), now_text: &now_text };
                    app.vote_in(tx, &actor_owned, cast).await
                })
            })
            .await?;
        self.after_conclusion(proposal_id, &recorded.closed_with).await;
        Ok(recorded)
    }

    /// Another handle on the same app, for a write that runs in the store's group task.
    fn handle(&self) -> App {
        App {
            store: self.store.clone(),
            clock: self.clock.clone(),
            config: self.config.clone(),
            throttle: self.throttle.clone(),
            notifier: self.notifier.clone(),
        }
    }

    /// Checks and records one vote inside the write transaction `tx` (shared with the
    /// other votes of its group); the caller commits.
    async fn vote_in(&self, tx: &mut coop_store::WriteTx, actor: &Actor, cast: Cast<'_>) -> Result<VoteReceipt> {
        let Cast { proposal_id, voter_id, choice, reason, receipt, now_text } = cast;
        let p = store::proposal(tx, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        if p.status != "open" {
            return Err(AppError::Conflict(format!("proposal {proposal_id} is closed ({}); votes are no longer taken", p.status)));
        }
        if p.meeting_id.is_some() {
            return Err(AppError::Conflict("this proposal is decided by a show of hands at its meeting; the secretary enters the counts".into()));
        }
        if now_text < p.opens_at.as_str() || now_text >= p.closes_at.as_str() {
            return Err(AppError::Conflict(format!("voting on proposal {proposal_id} closed at {}", p.closes_at)));
        }
        let (_, version) = store::class_version(tx, p.class_version_id).await?.ok_or_else(|| AppError::NotFound("class version".into()))?;
        let rule = rule_of(&version.rule_json)?;
        let round = p.round as u8;
        rule.check_vote(choice, round, Some(reason)).map_err(|e| {
            let field = if matches!(e, coop_core::decision::VoteError::ReasonRequired(_)) { "reason" } else { "choice" };
            AppError::invalid(field, e.to_string())
        })?;
        let (eligible, voted_before) = store::standing(tx, proposal_id, voter_id, p.round, p.secret).await?;
        if !eligible {
            // Eligibility was fixed on the opening date in the co-op's time zone (see open_proposal).
            let tz = coop_store::settings::get(tx).await?.map(|s| s.tz()).unwrap_or(jiff::tz::TimeZone::UTC);
            let today = self.clock.now().to_zoned(tz.clone()).date();
            let opened_on = parse_instant(&p.opens_at).map(|t| t.to_zoned(tz).date()).unwrap_or(today);
            let history = coop_store::members::history(tx, voter_id).await?;
            let why = match history.state_on(opened_on) {
                Some(state) if !parse_states(&version.eligible_states).contains(&state) => {
                    format!("{} do not vote on this class (it admits {})", people_in(state), version.eligible_states.replace(',', ", "))
                }
                // In an admitted state that day, but only after voting opened.
                Some(_) => format!("who votes was fixed when voting opened ({}), before they could vote", p.opens_at),
                None => "they were not in the co-op when voting opened".to_string(),
            };
            return Err(AppError::Forbidden(format!("member {voter_id} may not vote on proposal {proposal_id}: {why}")));
        }
        let subject = format!("proposal:{proposal_id}");
        let (replaced, receipt_out) = if p.secret {
            match receipt {
                Some(code) => {
                    let n = store::replace_secret_ballot(tx, proposal_id, p.round, &sha256_hex(code.trim().as_bytes()), choice.as_str()).await?;
                    if n == 0 {
                        return Err(AppError::invalid("receipt", "no ballot in this round has that receipt"));
                    }
                    self.journal(tx, actor, "proposal.secret_ballot_changed", &subject, json!({"round": round})).await?;
                    (true, None)
                }
                None => {
                    if voted_before {
                        return Err(AppError::Conflict("this member has voted already; change a secret vote with its receipt code".into()));
                    }
                    let code = random_hex(16);
                    store::insert_secret_ballot(tx, &random_hex(16), proposal_id, p.round, choice.as_str(), &sha256_hex(code.as_bytes())).await?;
                    store::record_turnout(tx, proposal_id, voter_id, p.round).await?;
                    self.journal(tx, actor, "proposal.secret_vote", &subject, json!({"round": round, "voter": voter_id})).await?;
                    (false, Some(code))
                }
            }
        } else {
            store::upsert_vote(tx, proposal_id, voter_id, p.round, choice.as_str(), reason, now_text).await?;
            self.journal(tx, actor, "proposal.vote", &subject, json!({"round": round, "voter": voter_id, "choice": choice.as_str(), "reason": reason})).await?;
            (voted_before, None)
        };
        // Early close: everyone eligible has voted in this round. A replaced vote adds no
        // voter, so only a new one can complete the turnout.
        let closed_with = if !replaced {
            let voters = store::voter_count(tx, proposal_id, p.round, p.secret).await?;
            let eligible = store::eligible_count(tx, proposal_id).await?;
            if voters >= eligible {
                self.conclude(tx, actor, proposal_id).await?
            } else {
                None
            }
        } else {
            None
        };
        Ok(VoteReceipt { proposal_id, round, replaced, receipt: receipt_out, closed_with })
    }

    /// Closes voting now (an admin or the secretary), computing the outcome.
    pub async fn close_proposal(&self, actor: &Actor, proposal_id: i64) -> Result<ProposalView> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        let p = store::proposal(&mut tx, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        if p.status != "open" {
            return Err(AppError::Conflict(format!("proposal {proposal_id} is already decided ({})", p.status)));
        }
        if p.meeting_id.is_some() && p.hand_count_json.is_none() {
            return Err(AppError::Conflict("this proposal is decided at its meeting: enter the show of hands with `coop proposal count`".into()));
        }
        let outcome = self.conclude(&mut tx, actor, proposal_id).await?;
        tx.commit().await?;
        self.after_conclusion(proposal_id, &outcome).await;
        self.proposal(actor, proposal_id).await
    }

    /// Closes every proposal whose deadline has passed (the background task calls this).
    pub async fn close_due_proposals(&self) -> Result<Vec<i64>> {
        let due = {
            let mut c = self.store.read().await?;
            store::due_to_close(&mut c, &self.now_text()).await?
        };
        let mut closed = Vec::new();
        for id in due {
            let mut tx = self.store.begin_write().await?;
            let still_open = store::proposal(&mut tx, id).await?.is_some_and(|p| p.status == "open" && p.closes_at <= self.now_text());
            if !still_open {
                continue;
            }
            let outcome = self.conclude(&mut tx, &Actor::System, id).await?;
            tx.commit().await?;
            self.after_conclusion(id, &outcome).await;
            closed.push(id);
        }
        Ok(closed)
    }

    /// Tells members once about each open proposal that closes within `within` (the
    /// background task calls this; `announced` remembers what was already said).
    pub async fn announce_closing_soon(&self, within: std::time::Duration, announced: &mut std::collections::HashSet<i64>) -> Result<usize> {
        let horizon = self.clock.now().checked_add(SignedDuration::try_from(within).unwrap_or_default()).unwrap_or(self.clock.now());
        let horizon = instant_text(horizon);
        let open = {
            let mut c = self.store.read().await?;
            store::proposals(&mut c, Some(true), 1000).await?
        };
        let mut told = 0;
        for p in open.into_iter().filter(|p| p.meeting_id.is_none() && p.closes_at <= horizon) {
            if announced.insert(p.id) {
                self.notifier.notify(&Event::ClosingSoon { proposal_id: p.id, title: p.title, closes_at: p.closes_at });
                told += 1;
            }
        }
        Ok(told)
    }

    /// A show of hands at the meeting, entered by the secretary: decides the proposal at once.
    pub async fn count_hands(&self, actor: &Actor, proposal_id: i64, counts: &[(Choice, u32)]) -> Result<ProposalView> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        let p = store::proposal(&mut tx, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        let meeting_id = p.meeting_id.ok_or_else(|| AppError::invalid("proposal", "this proposal is not decided at a meeting; members vote on it"))?;
        if p.status != "open" {
            return Err(AppError::Conflict(format!("proposal {proposal_id} is already decided ({})", p.status)));
        }
        let (_, version) = store::class_version(&mut tx, p.class_version_id).await?.ok_or_else(|| AppError::NotFound("class version".into()))?;
        let rule = rule_of(&version.rule_json)?;
        let present = present_count(&store::attendance(&mut tx, meeting_id).await?);
        let mut tally = Tally::new();
        for (choice, n) in counts {
            if !rule.accepts(*choice, p.round as u8) {
                return Err(AppError::invalid("counts", format!("{choice} is not a choice of this rule's round {}", p.round)));
            }
            tally.add_n(*choice, *n);
        }
        if tally.total_participation() > present {
            return Err(AppError::invalid(
                "counts",
                format!("{} hands counted but only {present} members are recorded present at meeting {meeting_id}", tally.total_participation()),
            ));
        }
        let tally_json = tally.to_json_for(&rule, p.round as u8);
        store::set_hand_count(&mut tx, proposal_id, &tally_json.to_string()).await?;
        self.journal(&mut tx, actor, "proposal.hands", &format!("proposal:{proposal_id}"), json!({"round": p.round, "tally": tally_json, "present": present}))
            .await?;
        let outcome = self.conclude(&mut tx, actor, proposal_id).await?;
        tx.commit().await?;
        self.after_conclusion(proposal_id, &outcome).await;
        self.proposal(actor, proposal_id).await
    }

    /// Evaluates the current round. A final outcome is recorded, applied (a class change)
    /// and sealed; a consensus block with a fallback opens round 2. Returns the final status.
    async fn conclude(&self, tx: &mut coop_store::WriteTx, actor: &Actor, proposal_id: i64) -> Result<Option<String>> {
        let p = store::proposal(tx, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        let (_, version) = store::class_version(tx, p.class_version_id).await?.ok_or_else(|| AppError::NotFound("class version".into()))?;
        let rule = rule_of(&version.rule_json)?;
        let (tally, eligible, present) = self.round_tally(tx, &p).await?;
        let evaluation = evaluate(&rule, p.round as u8, &tally, eligible, present);
        let subject = format!("proposal:{proposal_id}");
        if evaluation.outcome == Outcome::NextRound {
            let opened = parse_instant(&p.opens_at).unwrap_or(self.clock.now());
            let closed = parse_instant(&p.closes_at).unwrap_or(self.clock.now());
            let length = closed.duration_since(opened).max(SignedDuration::from_hours(24));
            let closes = self.clock.now().checked_add(length).unwrap_or(closed);
            store::start_round(tx, proposal_id, p.round + 1, &instant_text(closes)).await?;
            self.journal(tx, actor, "proposal.next_round", &subject, json!({"round": p.round + 1, "closes_at": instant_text(closes), "evaluation": evaluation}))
                .await?;
            return Ok(None);
        }
        let status = evaluation.status().map(|s| s.as_str()).unwrap_or("failed").to_string();
        let outcome_json = json!({"evaluation": evaluation, "summary": evaluation.summary_en()});
        let now = self.now_text();
        if !store::decide(tx, proposal_id, &status, &outcome_json.to_string(), &now).await? {
            return Ok(None);
        }
        if let Some(amendment) = p.amendment_json.as_deref() {
            let amendment: Value = serde_json::from_str(amendment).map_err(|e| AppError::Conflict(format!("stored amendment: {e}")))?;
            // What the proposal amends: a pay system, or (without "amends") a decision class.
            match amendment.get("amends").and_then(Value::as_str) {
                Some("pay_system") => self.conclude_pay_system(tx, actor, proposal_id, status == "passed").await?,
                Some("allocation_policy") => self.conclude_allocation_policy(tx, actor, proposal_id, status == "passed").await?,
                Some("minutes") if status == "passed" => self.approve_minutes_by_decision(tx, actor, &amendment, proposal_id).await?,
                Some("minutes") => {}
                _ if status == "passed" => {
                    self.apply_class(tx, actor, &amendment, Some(proposal_id)).await?;
                }
                _ => {}
            }
        }
        self.journal(tx, actor, "proposal.decided", &subject, json!({"status": status, "summary": evaluation.summary_en()})).await?;
        let content = store::proposal_content(tx, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        coop_store::journal::seal(tx, &self.now_text(), &actor.journal_name(), store::PROPOSAL_RECORD_KIND, &proposal_id.to_string(), &content).await?;
        Ok(Some(status))
    }

    async fn after_conclusion(&self, proposal_id: i64, outcome: &Option<String>) {
        if let Some(status) = outcome {
            let title = {
                match self.store.read().await {
                    Ok(mut c) => store::proposal(&mut c, proposal_id).await.ok().flatten().map(|p| p.title).unwrap_or_default(),
                    Err(_) => String::new(),
                }
            };
            self.notifier.notify(&Event::Decided { proposal_id, title, status: status.clone() });
        }
    }

    /// The tally of the current round, the number eligible, and (at a meeting) the number present.
    async fn round_tally(&self, c: &mut coop_store::Conn, p: &ProposalRow) -> Result<(Tally, u32, Option<u32>)> {
        let eligible = store::eligible_count(c, p.id).await?;
        match p.meeting_id {
            Some(mid) => {
                let present = present_count(&store::attendance(c, mid).await?);
                let tally = match &p.hand_count_json {
                    Some(j) => serde_json::from_str::<Tally>(j).unwrap_or_default(),
                    None => Tally::new(),
                };
                Ok((tally, eligible, Some(present)))
            }
            None => Ok((tally_of(&store::choices(c, p.id, p.round, p.secret).await?), eligible, None)),
        }
    }

    /// A proposal as `actor` may see it.
    pub async fn proposal(&self, actor: &Actor, proposal_id: i64) -> Result<ProposalView> {
        policy::view_decisions(actor)?;
        let mut c = self.store.read().await?;
        let p = store::proposal(&mut c, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        let (class_name, version) = store::class_version(&mut c, p.class_version_id).await?.ok_or_else(|| AppError::NotFound("class version".into()))?;
        let rule = rule_of(&version.rule_json)?;
        let visibility = ResultsVisibility::parse(&version.results_visibility)?;
        let round = p.round as u8;
        let (tally, eligible, present) = self.round_tally(&mut c, &p).await?;
        let turnout = store::voter_count(&mut c, p.id, p.round, p.secret).await?;
        let viewer_voted = match actor.member_id() {
            Some(id) => store::has_voted(&mut c, p.id, id, p.round, p.secret).await?,
            None => false,
        };
        let decided = p.status != "open";
        let hidden = !decided
            && match (visibility, actor) {
                (_, Actor::Operator | Actor::System) => false,
                (ResultsVisibility::Live, _) => false,
                (ResultsVisibility::AfterVote, _) => !viewer_voted,
                (ResultsVisibility::AfterClose, _) => true,
            };
        let stored: Option<Value> = p.outcome_json.as_deref().and_then(|j| serde_json::from_str(j).ok());
        let (evaluation, summary) = match (hidden, stored) {
            (true, _) => (None, None),
            (false, Some(v)) => (Some(v["evaluation"].clone()), v["summary"].as_str().map(str::to_string)),
            (false, None) => {
                let e = evaluate(&rule, round, &tally, eligible, present);
                (serde_json::to_value(&e).ok(), Some(e.summary_en()))
            }
        };
        let needed_to_pass = if decided || hidden {
            None
        } else {
            let remaining = eligible.saturating_sub(turnout);
            votes_to_pass(&rule, round, &tally, eligible, remaining)
        };
        let votes = if hidden || p.secret {
            Vec::new()
        } else {
            store::votes(&mut c, p.id, p.round)
                .await?
                .into_iter()
                .map(|(member_id, name, choice, reason, cast_at)| VoteView { member_id, name, choice, reason, cast_at })
                .collect()
        };
        let my_vote = match (actor.member_id(), p.secret) {
            (Some(me), false) => store::votes(&mut c, p.id, p.round).await?.into_iter().find(|v| v.0 == me).map(|v| v.2),
            _ => None,
        };
        let ballots = if p.secret && decided {
            store::secret_ballots(&mut c, p.id)
                .await?
                .into_iter()
                .map(|(id, round, choice, receipt_hash)| BallotView { id, round, choice, receipt_hash })
                .collect()
        } else {
            Vec::new()
        };
        let comments = store::comments(&mut c, p.id)
            .await?
            .into_iter()
            .map(|(id, author, body, created_at)| CommentView { id, author, body, created_at })
            .collect();
        let sealed_hash = coop_store::journal::sealed_hash(&mut c, store::PROPOSAL_RECORD_KIND, &p.id.to_string()).await?;
        Ok(ProposalView {
            id: p.id,
            title: p.title,
            body: p.body,
            class: class_name,
            class_version: version.version,
            tally: (!hidden).then(|| tally.to_json_for(&rule, round)),
            rule,
            status: p.status,
            eligible,
            round,
            sealed_hash,
            opens_at: p.opens_at,
            closes_at: p.closes_at,
            secret: p.secret,
            meeting_id: p.meeting_id,
            results_hidden: hidden,
            turnout,
            evaluation,
            summary,
            needed_to_pass,
            votes,
            ballots,
            comments,
            amendment: p.amendment_json.as_deref().and_then(|j| serde_json::from_str(j).ok()),
            my_vote,
            decided_at: p.decided_at,
        })
    }

    /// Proposals newest first: `Some(true)` open ones, `Some(false)` decided ones.
    pub async fn proposals(&self, actor: &Actor, open: Option<bool>) -> Result<Vec<ProposalView>> {
        policy::view_decisions(actor)?;
        let ids: Vec<i64> = {
            let mut c = self.store.read().await?;
            store::proposals(&mut c, open, 500).await?.into_iter().map(|p| p.id).collect()
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.proposal(actor, id).await?);
        }
        Ok(out)
    }

    /// Adds a discussion comment to an open proposal.
    pub async fn comment(&self, actor: &Actor, proposal_id: i64, body: &str) -> Result<()> {
        policy::view_decisions(actor)?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 20_000 {
            return Err(AppError::invalid("body", "a comment has 1 to 20,000 characters"));
        }
        let mut tx = self.store.begin_write().await?;
        let p = store::proposal(&mut tx, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        if p.status != "open" {
            return Err(AppError::Conflict("the discussion closed with the vote".into()));
        }
        let id = store::insert_comment(&mut tx, proposal_id, actor.member_id(), body, &self.now_text()).await?;
        self.journal(&mut tx, actor, "proposal.comment", &format!("proposal:{proposal_id}"), json!({"comment": id, "body": body})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Finds a secret ballot by its receipt code (after close, in the published list).
    pub async fn find_ballot(&self, actor: &Actor, proposal_id: i64, receipt: &str) -> Result<Option<BallotView>> {
        policy::view_decisions(actor)?;
        let hash = sha256_hex(receipt.trim().as_bytes());
        let mut c = self.store.read().await?;
        let p = store::proposal(&mut c, proposal_id).await?.ok_or_else(|| AppError::NotFound(format!("proposal {proposal_id}")))?;
        if p.status == "open" {
            return Err(AppError::Conflict("the ballots are published when voting closes; look your ballot up then".into()));
        }
        Ok(store::secret_ballots(&mut c, proposal_id)
            .await?
            .into_iter()
            .find(|b| b.3 == hash)
            .map(|(id, round, choice, receipt_hash)| BallotView { id, round, choice, receipt_hash }))
    }
}

/// "candidates", "members on leave": the people in a state, for refusal messages.
fn people_in(state: MemberState) -> &'static str {
    match state {
        MemberState::Applicant => "applicants",
        MemberState::Candidate => "candidates",
        MemberState::Member => "members",
        MemberState::OnLeave => "members on leave",
        MemberState::Departed => "departed members",
    }
}

/// Members counted present at a meeting: in the room or remote.
fn present_count(attendance: &[(i64, String)]) -> u32 {
    attendance.iter().filter(|(_, a)| a == "present" || a == "remote").count() as u32
}
