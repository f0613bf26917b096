//! Decision classes, proposals, votes, secret ballots, and the attendance a show of hands needs.
//!
//! Rules and outcomes are computed in `coop-core`; this module only stores and reads them.

use crate::Result;
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// The kind name under which decided proposals are sealed.
pub const PROPOSAL_RECORD_KIND: &str = "proposal";

/// A class with its current (latest) version.
#[derive(Clone, Debug)]
pub struct ClassRow {
    pub id: i64,
    pub name: String,
    pub governs_rules: bool,
    pub version: ClassVersionRow,
}

#[derive(Clone, Debug)]
pub struct ClassVersionRow {
    pub id: i64,
    pub class_id: i64,
    pub version: i64,
    pub rule_json: String,
    pub eligible_states: String,
    pub results_visibility: String,
    pub adopted_by: Option<i64>,
    pub created_at: String,
}

type VersionTuple = (i64, i64, i64, String, String, String, Option<i64>, String);

fn version_row(t: VersionTuple) -> ClassVersionRow {
    let (id, class_id, version, rule_json, eligible_states, results_visibility, adopted_by, created_at) = t;
    ClassVersionRow { id, class_id, version, rule_json, eligible_states, results_visibility, adopted_by, created_at }
}

const VERSION_COLUMNS: &str = "v.id, v.class_id, v.version, v.rule_json, v.eligible_states, v.results_visibility, v.adopted_by, v.created_at";

/// Every class with its latest version, by name.
pub async fn classes(c: &mut AnyConnection) -> Result<Vec<ClassRow>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as("SELECT id, name, governs_rules FROM decision_classes ORDER BY name").fetch_all(&mut *c).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, governs) in rows {
        let version = latest_version(c, id).await?;
        out.push(ClassRow { id, name, governs_rules: governs != 0, version });
    }
    Ok(out)
}

pub async fn class_by_name(c: &mut AnyConnection, name: &str) -> Result<Option<ClassRow>> {
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT id, name, governs_rules FROM decision_classes WHERE name = $1").bind(name).fetch_optional(&mut *c).await?;
    match row {
        Some((id, name, governs)) => Ok(Some(ClassRow { id, name, governs_rules: governs != 0, version: latest_version(c, id).await? })),
        None => Ok(None),
    }
}

async fn latest_version(c: &mut AnyConnection, class_id: i64) -> Result<ClassVersionRow> {
    let t: VersionTuple = sqlx::query_as(&format!("SELECT {VERSION_COLUMNS} FROM decision_class_versions v WHERE v.class_id = $1 ORDER BY v.version DESC LIMIT 1"))
        .bind(class_id)
        .fetch_one(c)
        .await?;
    Ok(version_row(t))
}

/// A class's name and one of its versions, as read by [`class_version`].
type NamedVersionTuple = (String, i64, i64, i64, String, String, String, Option<i64>, String);

pub async fn class_version(c: &mut AnyConnection, version_id: i64) -> Result<Option<(String, ClassVersionRow)>> {
    let t: Option<NamedVersionTuple> = sqlx::query_as(&format!(
        "SELECT k.name, {VERSION_COLUMNS} FROM decision_class_versions v JOIN decision_classes k ON k.id = v.class_id WHERE v.id = $1"
    ))
    .bind(version_id)
    .fetch_optional(c)
    .await?;
    Ok(t.map(|(name, id, class_id, version, rule_json, eligible_states, results_visibility, adopted_by, created_at)| {
        (name, version_row((id, class_id, version, rule_json, eligible_states, results_visibility, adopted_by, created_at)))
    }))
}

pub async fn insert_class(c: &mut AnyConnection, name: &str, governs_rules: bool, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO decision_classes (name, governs_rules, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(name)
        .bind(governs_rules as i64)
        .bind(at)
        .fetch_one(c)
        .await?;
    Ok(id)
}

/// Makes one class the one that governs changes to the rules (and no other).
pub async fn set_governing(c: &mut AnyConnection, class_id: i64) -> Result<()> {
    sqlx::query("UPDATE decision_classes SET governs_rules = CASE WHEN id = $1 THEN 1 ELSE 0 END").bind(class_id).execute(c).await?;
    Ok(())
}

pub async fn governing_class(c: &mut AnyConnection) -> Result<Option<ClassRow>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM decision_classes WHERE governs_rules = 1").fetch_optional(&mut *c).await?;
    match row {
        Some((name,)) => class_by_name(c, &name).await,
        None => Ok(None),
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_class_version(
    c: &mut AnyConnection,
    class_id: i64,
    version: i64,
    rule_json: &str,
    eligible_states: &str,
    results_visibility: &str,
    adopted_by: Option<i64>,
    at: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO decision_class_versions (class_id, version, rule_json, eligible_states, results_visibility, adopted_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(class_id)
    .bind(version)
    .bind(rule_json)
    .bind(eligible_states)
    .bind(results_visibility)
    .bind(adopted_by)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Whether any proposal has been decided: after that the co-op is founded and its rules
/// change only through proposals.
pub async fn any_decided(c: &mut AnyConnection) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM proposals WHERE status <> 'open' LIMIT 1").fetch_optional(c).await?;
    Ok(row.is_some())
}

/// A proposal as stored.
#[derive(Clone, Debug)]
pub struct ProposalRow {
    pub id: i64,
    pub class_version_id: i64,
    pub title: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub opens_at: String,
    pub closes_at: String,
    pub secret: bool,
    pub meeting_id: Option<i64>,
    pub status: String,
    pub round: i64,
    pub hand_count_json: Option<String>,
    pub amendment_json: Option<String>,
    pub outcome_json: Option<String>,
    pub decided_at: Option<String>,
    pub created_at: String,
}

type ProposalTuple = (
    i64,
    i64,
    String,
    String,
    Option<i64>,
    String,
    String,
    i64,
    Option<i64>,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

const PROPOSAL_COLUMNS: &str = "id, class_version_id, title, body, author_id, opens_at, closes_at, secret, meeting_id, status, round, \
                                hand_count_json, amendment_json, outcome_json, decided_at, created_at";

fn proposal_row(t: ProposalTuple) -> ProposalRow {
    let (id, class_version_id, title, body, author_id, opens_at, closes_at, secret, meeting_id, status, round, hand_count_json, amendment_json, outcome_json, decided_at, created_at) = t;
    ProposalRow {
        id,
        class_version_id,
        title,
        body,
        author_id,
        opens_at,
        closes_at,
        secret: secret != 0,
        meeting_id,
        status,
        round,
        hand_count_json,
        amendment_json,
        outcome_json,
        decided_at,
        created_at,
    }
}

/// What a new proposal needs.
#[derive(Clone, Debug)]
pub struct NewProposal<'a> {
    pub class_version_id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub author_id: Option<i64>,
    pub opens_at: &'a str,
    pub closes_at: &'a str,
    pub secret: bool,
    pub meeting_id: Option<i64>,
    pub amendment_json: Option<&'a str>,
    pub created_at: &'a str,
}

pub async fn insert_proposal(c: &mut AnyConnection, p: &NewProposal<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO proposals (class_version_id, title, body, author_id, opens_at, closes_at, secret, meeting_id, status, round, amendment_json, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', 1, $9, $10) RETURNING id",
    )
    .bind(p.class_version_id)
    .bind(p.title)
    .bind(p.body)
    .bind(p.author_id)
    .bind(p.opens_at)
    .bind(p.closes_at)
    .bind(p.secret as i64)
    .bind(p.meeting_id)
    .bind(p.amendment_json)
    .bind(p.created_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn proposal(c: &mut AnyConnection, id: i64) -> Result<Option<ProposalRow>> {
    let t: Option<ProposalTuple> =
        sqlx::query_as(&format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = $1")).bind(id).fetch_optional(c).await?;
    Ok(t.map(proposal_row))
}

/// Proposals newest first; `open_only` for the list of what can be voted on.
pub async fn proposals(c: &mut AnyConnection, open_only: Option<bool>, limit: i64) -> Result<Vec<ProposalRow>> {
    let filter = match open_only {
        Some(true) => "WHERE status = 'open'",
        Some(false) => "WHERE status <> 'open'",
        None => "",
    };
    let rows: Vec<ProposalTuple> =
        sqlx::query_as(&format!("SELECT {PROPOSAL_COLUMNS} FROM proposals {filter} ORDER BY id DESC LIMIT $1")).bind(limit).fetch_all(c).await?;
    Ok(rows.into_iter().map(proposal_row).collect())
}

/// Open proposals whose voting window has ended at `now`.
pub async fn due_to_close(c: &mut AnyConnection, now: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM proposals WHERE status = 'open' AND meeting_id IS NULL AND closes_at <= $1 ORDER BY id")
        .bind(now)
        .fetch_all(c)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert_eligible(c: &mut AnyConnection, proposal_id: i64, member_ids: &[i64]) -> Result<()> {
    for m in member_ids {
        sqlx::query("INSERT INTO proposal_eligible (proposal_id, member_id) VALUES ($1, $2)").bind(proposal_id).bind(m).execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn eligible_ids(c: &mut AnyConnection, proposal_id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT member_id FROM proposal_eligible WHERE proposal_id = $1 ORDER BY member_id").bind(proposal_id).fetch_all(c).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn is_eligible(c: &mut AnyConnection, proposal_id: i64, member_id: i64) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT member_id FROM proposal_eligible WHERE proposal_id = $1 AND member_id = $2")
        .bind(proposal_id)
        .bind(member_id)
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}

/// Records an open vote, replacing the member's earlier vote in the same round: one
/// statement either way (the caller knows from [`standing`] which it is).
pub async fn upsert_vote(c: &mut AnyConnection, proposal_id: i64, member_id: i64, round: i64, choice: &str, reason: &str, at: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO votes (proposal_id, member_id, round, choice, reason, cast_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (proposal_id, member_id, round) DO UPDATE SET choice = excluded.choice, reason = excluded.reason, cast_at = excluded.cast_at",
    )
    .bind(proposal_id)
    .bind(member_id)
    .bind(round)
    .bind(choice)
    .bind(reason)
    .bind(at)
    .execute(c)
    .await?;
    Ok(())
}

/// A member's standing on a proposal in one statement (the vote path runs it for every
/// vote): whether they may vote, and whether they have voted in `round` already.
pub async fn standing(c: &mut AnyConnection, proposal_id: i64, member_id: i64, round: i64, secret: bool) -> Result<(bool, bool)> {
    let sql = if secret {
        "SELECT (SELECT COUNT(*) FROM proposal_eligible WHERE proposal_id = $1 AND member_id = $2), \
                (SELECT COUNT(*) FROM turnout WHERE proposal_id = $1 AND member_id = $2 AND round = $3)"
    } else {
        "SELECT (SELECT COUNT(*) FROM proposal_eligible WHERE proposal_id = $1 AND member_id = $2), \
                (SELECT COUNT(*) FROM votes WHERE proposal_id = $1 AND member_id = $2 AND round = $3)"
    };
    let (eligible, voted): (i64, i64) = sqlx::query_as(sql).bind(proposal_id).bind(member_id).bind(round).fetch_one(c).await?;
    Ok((eligible > 0, voted > 0))
}

/// How many members may vote on a proposal (fixed when voting opened).
pub async fn eligible_count(c: &mut AnyConnection, proposal_id: i64) -> Result<u32> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM proposal_eligible WHERE proposal_id = $1").bind(proposal_id).fetch_one(c).await?;
    Ok(n as u32)
}

/// How many members have voted in a round (open votes, or the turnout of a secret ballot).
pub async fn voter_count(c: &mut AnyConnection, proposal_id: i64, round: i64, secret: bool) -> Result<u32> {
    let sql = if secret {
        "SELECT COUNT(*) FROM turnout WHERE proposal_id = $1 AND round = $2"
    } else {
        "SELECT COUNT(*) FROM votes WHERE proposal_id = $1 AND round = $2"
    };
    let (n,): (i64,) = sqlx::query_as(sql).bind(proposal_id).bind(round).fetch_one(c).await?;
    Ok(n as u32)
}

/// Whether `member_id` has voted in a round.
pub async fn has_voted(c: &mut AnyConnection, proposal_id: i64, member_id: i64, round: i64, secret: bool) -> Result<bool> {
    let sql = if secret {
        "SELECT member_id FROM turnout WHERE proposal_id = $1 AND member_id = $2 AND round = $3"
    } else {
        "SELECT member_id FROM votes WHERE proposal_id = $1 AND member_id = $2 AND round = $3"
    };
    let row: Option<(i64,)> = sqlx::query_as(sql).bind(proposal_id).bind(member_id).bind(round).fetch_optional(c).await?;
    Ok(row.is_some())
}

/// Open votes of a round: `(member_id, member name, choice, reason, cast_at)`, by member id.
pub async fn votes(c: &mut AnyConnection, proposal_id: i64, round: i64) -> Result<Vec<(i64, String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT v.member_id, m.name, v.choice, v.reason, v.cast_at FROM votes v JOIN members m ON m.id = v.member_id \
         WHERE v.proposal_id = $1 AND v.round = $2 ORDER BY v.member_id",
    )
    .bind(proposal_id)
    .bind(round)
    .fetch_all(c)
    .await?)
}

/// The choices cast in a round, open or secret.
pub async fn choices(c: &mut AnyConnection, proposal_id: i64, round: i64, secret: bool) -> Result<Vec<String>> {
    let sql = if secret {
        "SELECT choice FROM secret_ballots WHERE proposal_id = $1 AND round = $2"
    } else {
        "SELECT choice FROM votes WHERE proposal_id = $1 AND round = $2"
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql).bind(proposal_id).bind(round).fetch_all(c).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert_secret_ballot(c: &mut AnyConnection, id: &str, proposal_id: i64, round: i64, choice: &str, receipt_hash: &str) -> Result<()> {
    sqlx::query("INSERT INTO secret_ballots (id, proposal_id, round, choice, receipt_hash) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(proposal_id)
        .bind(round)
        .bind(choice)
        .bind(receipt_hash)
        .execute(c)
        .await?;
    Ok(())
}

/// Changes the choice on the ballot with this receipt; 0 rows if no such ballot in this round.
pub async fn replace_secret_ballot(c: &mut AnyConnection, proposal_id: i64, round: i64, receipt_hash: &str, choice: &str) -> Result<u64> {
    Ok(sqlx::query("UPDATE secret_ballots SET choice = $1 WHERE proposal_id = $2 AND round = $3 AND receipt_hash = $4")
        .bind(choice)
        .bind(proposal_id)
        .bind(round)
        .bind(receipt_hash)
        .execute(c)
        .await?
        .rows_affected())
}

/// Secret ballots of a proposal: `(id, round, choice, receipt_hash)` ordered by their random id.
pub async fn secret_ballots(c: &mut AnyConnection, proposal_id: i64) -> Result<Vec<(String, i64, String, String)>> {
    Ok(sqlx::query_as("SELECT id, round, choice, receipt_hash FROM secret_ballots WHERE proposal_id = $1 ORDER BY round, id")
        .bind(proposal_id)
        .fetch_all(c)
        .await?)
}

pub async fn record_turnout(c: &mut AnyConnection, proposal_id: i64, member_id: i64, round: i64) -> Result<()> {
    sqlx::query("INSERT INTO turnout (proposal_id, member_id, round) VALUES ($1, $2, $3)").bind(proposal_id).bind(member_id).bind(round).execute(c).await?;
    Ok(())
}

/// Opens a further round (consensus falling back to a vote) with a new deadline.
pub async fn start_round(c: &mut AnyConnection, proposal_id: i64, round: i64, closes_at: &str) -> Result<()> {
    sqlx::query("UPDATE proposals SET round = $1, closes_at = $2 WHERE id = $3").bind(round).bind(closes_at).bind(proposal_id).execute(c).await?;
    Ok(())
}

pub async fn set_hand_count(c: &mut AnyConnection, proposal_id: i64, tally_json: &str) -> Result<()> {
    sqlx::query("UPDATE proposals SET hand_count_json = $1 WHERE id = $2").bind(tally_json).bind(proposal_id).execute(c).await?;
    Ok(())
}

/// Records the final outcome. Only an open proposal can be decided, so a race between the
/// deadline task and a manual close decides once.
pub async fn decide(c: &mut AnyConnection, proposal_id: i64, status: &str, outcome_json: &str, at: &str) -> Result<bool> {
    Ok(sqlx::query("UPDATE proposals SET status = $1, outcome_json = $2, decided_at = $3 WHERE id = $4 AND status = 'open'")
        .bind(status)
        .bind(outcome_json)
        .bind(at)
        .bind(proposal_id)
        .execute(c)
        .await?
        .rows_affected()
        == 1)
}

pub async fn insert_comment(c: &mut AnyConnection, proposal_id: i64, member_id: Option<i64>, body: &str, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO proposal_comments (proposal_id, member_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(proposal_id)
        .bind(member_id)
        .bind(body)
        .bind(at)
        .fetch_one(c)
        .await?;
    Ok(id)
}

/// Comments oldest first: `(id, member name or null, body, created_at)`.
pub async fn comments(c: &mut AnyConnection, proposal_id: i64) -> Result<Vec<(i64, Option<String>, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT k.id, m.name, k.body, k.created_at FROM proposal_comments k LEFT JOIN members m ON m.id = k.member_id \
         WHERE k.proposal_id = $1 ORDER BY k.id",
    )
    .bind(proposal_id)
    .fetch_all(c)
    .await?)
}

/// The sealed content of a decided proposal: the proposal row, the class version it ran
/// under, who was eligible, and every vote or secret ballot and the turnout.
pub async fn proposal_content(c: &mut AnyConnection, id: i64) -> Result<Option<Value>> {
    let Some(p) = proposal(c, id).await? else {
        return Ok(None);
    };
    let class = class_version(c, p.class_version_id).await?;
    let eligible = eligible_ids(c, id).await?;
    let open_votes: Vec<(i64, i64, String, String, String)> =
        sqlx::query_as("SELECT member_id, round, choice, reason, cast_at FROM votes WHERE proposal_id = $1 ORDER BY round, member_id")
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
    let ballots = secret_ballots(c, id).await?;
    let turnout: Vec<(i64, i64)> =
        sqlx::query_as("SELECT member_id, round FROM turnout WHERE proposal_id = $1 ORDER BY round, member_id").bind(id).fetch_all(&mut *c).await?;
    Ok(Some(json!({
        "proposal": {
            "id": p.id, "class_version_id": p.class_version_id, "title": p.title, "body": p.body, "author_id": p.author_id,
            "opens_at": p.opens_at, "closes_at": p.closes_at, "secret": p.secret, "meeting_id": p.meeting_id, "status": p.status,
            "round": p.round, "hand_count": p.hand_count_json, "amendment": p.amendment_json, "outcome": p.outcome_json,
            "decided_at": p.decided_at, "created_at": p.created_at,
        },
        "class": class.map(|(name, v)| json!({"name": name, "version": v.version, "rule": v.rule_json, "eligible_states": v.eligible_states})),
        "eligible": eligible,
        "votes": open_votes.iter().map(|(m, r, ch, reason, at)| json!([m, r, ch, reason, at])).collect::<Vec<_>>(),
        "ballots": ballots.iter().map(|(bid, r, ch, receipt)| json!([bid, r, ch, receipt])).collect::<Vec<_>>(),
        "turnout": turnout.iter().map(|(m, r)| json!([m, r])).collect::<Vec<_>>(),
    })))
}

// ----- the minimum of meetings that a decision at a meeting needs -----

pub async fn insert_meeting(c: &mut AnyConnection, title: &str, kind: &str, starts_at: &str, minutes_long: i64, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO meetings (title, kind, starts_at, minutes_long, status, created_at) VALUES ($1, $2, $3, $4, 'scheduled', $5) RETURNING id",
    )
    .bind(title)
    .bind(kind)
    .bind(starts_at)
    .bind(minutes_long)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// `(id, title, kind, starts_at, minutes_long, status)`.
pub async fn meeting(c: &mut AnyConnection, id: i64) -> Result<Option<(i64, String, String, String, i64, String)>> {
    Ok(sqlx::query_as("SELECT id, title, kind, starts_at, minutes_long, status FROM meetings WHERE id = $1").bind(id).fetch_optional(c).await?)
}

pub async fn set_attendance(c: &mut AnyConnection, meeting_id: i64, member_id: i64, attendance: &str) -> Result<()> {
    sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1 AND member_id = $2").bind(meeting_id).bind(member_id).execute(&mut *c).await?;
    sqlx::query("INSERT INTO meeting_attendance (meeting_id, member_id, attendance) VALUES ($1, $2, $3)")
        .bind(meeting_id)
        .bind(member_id)
        .bind(attendance)
        .execute(c)
        .await?;
    Ok(())
}

/// `(member_id, attendance)` for a meeting.
pub async fn attendance(c: &mut AnyConnection, meeting_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT member_id, attendance FROM meeting_attendance WHERE meeting_id = $1 ORDER BY member_id")
        .bind(meeting_id)
        .fetch_all(c)
        .await?)
}
