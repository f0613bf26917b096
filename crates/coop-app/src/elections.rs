//! Elections for board seats and roles: nominations, secret ballots, and a count by
//! plurality, approval, instant-runoff or Scottish STV (`coop_core::election`).
//!
//! Ballots are always secret: a ballot row has no member, no time and a random key; the
//! turnout (who voted) is kept apart. Each voter gets a receipt code; only its hash is stored.

use crate::{policy, Actor, App, AppError, Result};
use coop_core::election::{self, Ballot, ElectionResult, Method};
use coop_core::journal::sha256_hex;
use coop_core::member::MemberState;
use coop_core::time::instant_text;
use coop_store::elections::{self as store, ElectionRow};
use coop_store::members::MemberQuery;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde::Serialize;
use serde_json::json;

/// A new election.
#[derive(Clone, Debug)]
pub struct ElectionInput {
    pub title: String,
    pub seats: u32,
    pub method: Method,
    /// Candidates in ballot order (the order breaks the last ties, so it is fixed at opening).
    /// Empty: the election starts with nominations.
    pub candidates: Vec<String>,
    pub closes_at: Option<Timestamp>,
    pub eligible: Vec<MemberState>,
}

/// A published ballot: find yours by the hash of your receipt.
#[derive(Clone, Debug, Serialize)]
pub struct ElectionBallotView {
    pub id: String,
    pub ballot: String,
    pub receipt_hash: String,
}

/// An election as shown; `winners`, `rounds` and `quota` as the contract's `election show`.
#[derive(Clone, Debug, Serialize)]
pub struct ElectionView {
    pub id: i64,
    pub title: String,
    pub seats: u32,
    pub method: Method,
    pub candidates: Vec<String>,
    pub status: String,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    /// When voting actually closed (by hand, at the deadline, or never yet).
    pub closed_at: Option<String>,
    pub eligible: u32,
    pub turnout: u32,
    pub winners: Vec<String>,
    pub rounds: Vec<election::Round<String>>,
    pub quota: Option<u64>,
    pub ballots: Vec<ElectionBallotView>,
    pub sealed_hash: Option<String>,
    pub voted: bool,
}

/// What casting a ballot returns.
#[derive(Clone, Debug, Serialize)]
pub struct BallotReceipt {
    pub election_id: i64,
    pub replaced: bool,
    /// Shown once: keep it to find or change the ballot.
    pub receipt: Option<String>,
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn invalid(field: &str) -> impl Fn(election::ElectionError) -> AppError + '_ {
    move |e| AppError::invalid(field, e.to_string())
}

fn candidates_of(e: &ElectionRow) -> Vec<String> {
    serde_json::from_str(&e.candidates_json).unwrap_or_default()
}

fn method_of(e: &ElectionRow) -> Result<Method> {
    Method::parse(&e.method).map_err(|err| AppError::Store(coop_store::StoreError::Corrupt(err.to_string())))
}

impl App {
    /// Creates an election: open at once with its candidates, or in nominations without.
    pub async fn new_election(&self, actor: &Actor, input: ElectionInput) -> Result<ElectionView> {
        policy::keep_record(actor)?;
        let title = input.title.trim().to_string();
        if title.is_empty() || title.chars().count() > 300 {
            return Err(AppError::invalid("title", "a title has 1 to 300 characters"));
        }
        if input.seats == 0 {
            return Err(AppError::invalid("seats", "an election fills at least one seat"));
        }
        if input.method == Method::Irv && input.seats != 1 {
            return Err(AppError::invalid("seats", "instant-runoff fills one seat; use stv for more"));
        }
        if !input.candidates.is_empty() {
            election::validate_candidates(&input.candidates).map_err(invalid("candidates"))?;
            if (input.seats as usize) > input.candidates.len() {
                return Err(AppError::invalid("seats", "there are fewer candidates than seats"));
            }
        }
        let eligible = if input.eligible.is_empty() { vec![MemberState::Member] } else { input.eligible.clone() };
        let eligible_text = eligible.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",");
        let mut tx = self.store.begin_write().await?;
        let now = self.now_text();
        let id = store::insert(
            &mut tx,
            &title,
            input.seats as i64,
            input.method.as_str(),
            &serde_json::to_string(&input.candidates).unwrap_or_default(),
            &eligible_text,
            "nominating",
            None,
            None,
            &now,
        )
        .await?;
        self.journal(
            &mut tx,
            actor,
            "election.new",
            &format!("election:{id}"),
            json!({"title": title, "seats": input.seats, "method": input.method.as_str(), "candidates": input.candidates, "eligible": eligible_text}),
        )
        .await?;
        if !input.candidates.is_empty() {
            self.open_election_in(&mut tx, actor, id, input.closes_at).await?;
        }
        tx.commit().await?;
        self.election(actor, id).await
    }

    /// Adds a nominee while nominations are open (any current participant may nominate).
    pub async fn nominate(&self, actor: &Actor, election_id: i64, name: &str) -> Result<ElectionView> {
        policy::view_decisions(actor)?;
        let mut tx = self.store.begin_write().await?;
        let e = store::get(&mut tx, election_id).await?.ok_or_else(|| AppError::NotFound(format!("election {election_id}")))?;
        if e.status != "nominating" {
            return Err(AppError::Conflict("nominations are closed for this election".into()));
        }
        let mut candidates = candidates_of(&e);
        candidates.push(name.trim().to_string());
        election::validate_candidates(&candidates).map_err(invalid("name"))?;
        store::set_candidates(&mut tx, election_id, &serde_json::to_string(&candidates).unwrap_or_default()).await?;
        self.journal(&mut tx, actor, "election.nominate", &format!("election:{election_id}"), json!({"name": name.trim()})).await?;
        tx.commit().await?;
        self.election(actor, election_id).await
    }

    /// Ends nominations and opens voting.
    pub async fn open_election(&self, actor: &Actor, election_id: i64, closes_at: Option<Timestamp>) -> Result<ElectionView> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        self.open_election_in(&mut tx, actor, election_id, closes_at).await?;
        tx.commit().await?;
        self.election(actor, election_id).await
    }

    async fn open_election_in(&self, tx: &mut coop_store::WriteTx, actor: &Actor, election_id: i64, closes_at: Option<Timestamp>) -> Result<()> {
        let e = store::get(tx, election_id).await?.ok_or_else(|| AppError::NotFound(format!("election {election_id}")))?;
        if e.status != "nominating" {
            return Err(AppError::Conflict(format!("election {election_id} is already {}", e.status)));
        }
        let candidates = candidates_of(&e);
        election::validate_candidates(&candidates).map_err(invalid("candidates"))?;
        if (e.seats as usize) > candidates.len() {
            return Err(AppError::invalid("candidates", "there are fewer candidates than seats"));
        }
        let now = self.clock.now();
        let closes = closes_at.unwrap_or_else(|| now.checked_add(SignedDuration::from_hours(24 * 7)).unwrap_or(now));
        if closes <= now {
            return Err(AppError::invalid("closes", "the closing time must be in the future"));
        }
        let today = now.to_zoned(self.settings().await.map(|s| s.tz()).unwrap_or(jiff::tz::TimeZone::UTC)).date().to_string();
        let states: Vec<MemberState> = e.eligible_states.split(',').filter_map(|s| MemberState::parse(s).ok()).collect();
        let eligible: Vec<i64> = coop_store::members::list(tx, &today, &MemberQuery::default())
            .await?
            .into_iter()
            .filter(|m| m.state.is_some_and(|s| states.contains(&s)))
            .map(|m| m.id)
            .collect();
        store::open(tx, election_id, &instant_text(now), &instant_text(closes)).await?;
        store::insert_eligible(tx, election_id, &eligible).await?;
        self.journal(tx, actor, "election.open", &format!("election:{election_id}"), json!({"candidates": candidates, "eligible": eligible.len(), "closes_at": instant_text(closes)}))
            .await?;
        Ok(())
    }

    /// Casts a secret ballot for `voter_id` (`"A>B>C"`, `"A,B"` or `"A"` by method). A second
    /// ballot needs the receipt of the first and replaces it.
    pub async fn cast_ballot(&self, actor: &Actor, election_id: i64, voter_id: i64, ballot: &str, receipt: Option<&str>) -> Result<BallotReceipt> {
        policy::vote_as(actor, voter_id)?;
        let now = self.now_text();
        let mut tx = self.store.begin_write().await?;
        let e = store::get(&mut tx, election_id).await?.ok_or_else(|| AppError::NotFound(format!("election {election_id}")))?;
        if e.status != "open" || e.closes_at.as_deref().is_some_and(|c| now.as_str() >= c) {
            return Err(AppError::Conflict(format!("election {election_id} is not open for ballots")));
        }
        let candidates = candidates_of(&e);
        let parsed = election::parse_ballot(method_of(&e)?, ballot, &candidates).map_err(invalid("ballot"))?;
        let ballot_json = serde_json::to_string(&parsed).unwrap_or_default();
        if !store::is_eligible(&mut tx, election_id, voter_id).await? {
            return Err(AppError::Forbidden(format!(
                "member {voter_id} may not vote in election {election_id} (it admits {} on the opening date)",
                e.eligible_states.replace(',', ", ")
            )));
        }
        let subject = format!("election:{election_id}");
        let out = match receipt {
            Some(code) => {
                if store::replace_ballot(&mut tx, election_id, &sha256_hex(code.trim().as_bytes()), &ballot_json).await? == 0 {
                    return Err(AppError::invalid("receipt", "no ballot in this election has that receipt"));
                }
                self.journal(&mut tx, actor, "election.ballot_changed", &subject, json!({})).await?;
                BallotReceipt { election_id, replaced: true, receipt: None }
            }
            None => {
                if store::turnout(&mut tx, election_id).await?.contains(&voter_id) {
                    return Err(AppError::Conflict("this member has voted already; change a ballot with its receipt code".into()));
                }
                let code = random_hex(16);
                store::insert_ballot(&mut tx, &random_hex(16), election_id, &ballot_json, &sha256_hex(code.as_bytes())).await?;
                store::record_turnout(&mut tx, election_id, voter_id).await?;
                self.journal(&mut tx, actor, "election.ballot", &subject, json!({"voter": voter_id})).await?;
                BallotReceipt { election_id, replaced: false, receipt: Some(code) }
            }
        };
        tx.commit().await?;
        Ok(out)
    }

    /// Closes voting, counts, records the round-by-round result and seals the election.
    pub async fn close_election(&self, actor: &Actor, election_id: i64) -> Result<ElectionView> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        self.close_election_in(&mut tx, actor, election_id, false).await?;
        tx.commit().await?;
        self.election(actor, election_id).await
    }

    /// Counts and closes. By hand, an election with no ballots is refused (wait for voters);
    /// at its deadline it closes anyway, electing nobody, so it never stays open for ever.
    async fn close_election_in(&self, tx: &mut coop_store::WriteTx, actor: &Actor, election_id: i64, at_deadline: bool) -> Result<()> {
        let e = store::get(tx, election_id).await?.ok_or_else(|| AppError::NotFound(format!("election {election_id}")))?;
        if e.status != "open" {
            return Err(AppError::Conflict(format!("election {election_id} is {}, not open", e.status)));
        }
        let candidates = candidates_of(&e);
        let ballots: Vec<Ballot> = store::ballots(tx, election_id).await?.iter().filter_map(|(_, b, _)| serde_json::from_str(b).ok()).collect();
        let named = if ballots.is_empty() {
            if !at_deadline {
                return Err(AppError::Conflict("no ballots were cast yet; an election with no ballots elects nobody".into()));
            }
            ElectionResult::<String> { winners: Vec::new(), rounds: Vec::new(), quota: None }
        } else {
            election::count(method_of(&e)?, e.seats as usize, &candidates, &ballots).map_err(invalid("ballots"))?.named(&candidates)
        };
        let now = self.now_text();
        if !store::close(tx, election_id, &serde_json::to_string(&named).unwrap_or_default(), &now).await? {
            return Ok(());
        }
        self.journal(tx, actor, "election.closed", &format!("election:{election_id}"), json!({"winners": named.winners, "ballots": ballots.len()})).await?;
        let content = store::content(tx, election_id).await?.ok_or_else(|| AppError::NotFound(format!("election {election_id}")))?;
        coop_store::journal::seal(tx, &self.now_text(), &actor.journal_name(), store::ELECTION_RECORD_KIND, &election_id.to_string(), &content).await?;
        Ok(())
    }

    /// Closes every election whose deadline has passed (the background task calls this).
    pub async fn close_due_elections(&self) -> Result<Vec<i64>> {
        let due = {
            let mut c = self.store.read().await?;
            store::due_to_close(&mut c, &self.now_text()).await?
        };
        let mut closed = Vec::new();
        for id in due {
            let mut tx = self.store.begin_write().await?;
            self.close_election_in(&mut tx, &Actor::System, id, true).await?;
            tx.commit().await?;
            closed.push(id);
        }
        Ok(closed)
    }

    pub async fn election(&self, actor: &Actor, election_id: i64) -> Result<ElectionView> {
        policy::view_decisions(actor)?;
        let mut c = self.store.read().await?;
        let e = store::get(&mut c, election_id).await?.ok_or_else(|| AppError::NotFound(format!("election {election_id}")))?;
        let candidates = candidates_of(&e);
        let turnout = store::turnout(&mut c, election_id).await?;
        let result: Option<ElectionResult<String>> = e.result_json.as_deref().and_then(|j| serde_json::from_str(j).ok());
        let closed = e.status == "closed";
        let ballots = if closed {
            store::ballots(&mut c, election_id)
                .await?
                .into_iter()
                .map(|(id, b, receipt_hash)| ElectionBallotView {
                    id,
                    ballot: serde_json::from_str::<Ballot>(&b).map(|b| b.to_text(&candidates)).unwrap_or(b),
                    receipt_hash,
                })
                .collect()
        } else {
            Vec::new()
        };
        let sealed_hash = coop_store::journal::sealed_hash(&mut c, store::ELECTION_RECORD_KIND, &election_id.to_string()).await?;
        Ok(ElectionView {
            id: e.id,
            title: e.title.clone(),
            seats: e.seats as u32,
            method: method_of(&e)?,
            eligible: store::eligible_count(&mut c, election_id).await?,
            voted: actor.member_id().is_some_and(|m| turnout.contains(&m)),
            turnout: turnout.len() as u32,
            winners: result.as_ref().map(|r| r.winners.clone()).unwrap_or_default(),
            rounds: result.as_ref().map(|r| r.rounds.clone()).unwrap_or_default(),
            quota: result.as_ref().and_then(|r| r.quota),
            candidates,
            status: e.status,
            opens_at: e.opens_at,
            closes_at: e.closes_at,
            closed_at: e.closed_at,
            ballots,
            sealed_hash,
        })
    }

    pub async fn elections(&self, actor: &Actor) -> Result<Vec<ElectionView>> {
        policy::view_decisions(actor)?;
        let ids: Vec<i64> = {
            let mut c = self.store.read().await?;
            store::list(&mut c, 500).await?.into_iter().map(|e| e.id).collect()
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.election(actor, id).await?);
        }
        Ok(out)
    }

    /// The ballots of a closed election in the BLT format other counting programs read.
    pub async fn election_blt(&self, actor: &Actor, election_id: i64) -> Result<String> {
        policy::view_decisions(actor)?;
        let mut c = self.store.read().await?;
        let e = store::get(&mut c, election_id).await?.ok_or_else(|| AppError::NotFound(format!("election {election_id}")))?;
        if e.status != "closed" {
            return Err(AppError::Conflict("the ballots are published when the election closes".into()));
        }
        let candidates = candidates_of(&e);
        let ballots: Vec<Ballot> = store::ballots(&mut c, election_id).await?.iter().filter_map(|(_, b, _)| serde_json::from_str(b).ok()).collect();
        // BLT quotes the title and has no escapes: a double quote or a line break in the title
        // (which an election may have) is written as an apostrophe or a space.
        let title = e.title.replace('"', "'").replace(['\n', '\r'], " ");
        election::to_blt(&title, &candidates, e.seats as usize, &ballots).map_err(|e| AppError::Conflict(format!("this election cannot be written as BLT: {e}")))
    }
}
