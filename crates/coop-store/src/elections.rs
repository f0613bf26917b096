//! Elections: candidates, who may vote, secret ballots and the sealed result.

use crate::Result;
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// The kind name under which closed elections are sealed.
pub const ELECTION_RECORD_KIND: &str = "election";

#[derive(Clone, Debug)]
pub struct ElectionRow {
    pub id: i64,
    pub title: String,
    pub seats: i64,
    pub method: String,
    pub candidates_json: String,
    pub eligible_states: String,
    pub status: String,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    pub result_json: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
}

type ElectionTuple = (i64, String, i64, String, String, String, String, Option<String>, Option<String>, Option<String>, String, Option<String>);

const COLUMNS: &str = "id, title, seats, method, candidates_json, eligible_states, status, opens_at, closes_at, result_json, created_at, closed_at";

fn row(t: ElectionTuple) -> ElectionRow {
    let (id, title, seats, method, candidates_json, eligible_states, status, opens_at, closes_at, result_json, created_at, closed_at) = t;
    ElectionRow { id, title, seats, method, candidates_json, eligible_states, status, opens_at, closes_at, result_json, created_at, closed_at }
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    c: &mut AnyConnection,
    title: &str,
    seats: i64,
    method: &str,
    candidates_json: &str,
    eligible_states: &str,
    status: &str,
    opens_at: Option<&str>,
    closes_at: Option<&str>,
    at: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO elections (title, seats, method, candidates_json, eligible_states, status, opens_at, closes_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(title)
    .bind(seats)
    .bind(method)
    .bind(candidates_json)
    .bind(eligible_states)
    .bind(status)
    .bind(opens_at)
    .bind(closes_at)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn get(c: &mut AnyConnection, id: i64) -> Result<Option<ElectionRow>> {
    let t: Option<ElectionTuple> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM elections WHERE id = $1")).bind(id).fetch_optional(c).await?;
    Ok(t.map(row))
}

pub async fn list(c: &mut AnyConnection, limit: i64) -> Result<Vec<ElectionRow>> {
    let rows: Vec<ElectionTuple> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM elections ORDER BY id DESC LIMIT $1")).bind(limit).fetch_all(c).await?;
    Ok(rows.into_iter().map(row).collect())
}

pub async fn set_candidates(c: &mut AnyConnection, id: i64, candidates_json: &str) -> Result<()> {
    sqlx::query("UPDATE elections SET candidates_json = $1 WHERE id = $2").bind(candidates_json).bind(id).execute(c).await?;
    Ok(())
}

pub async fn open(c: &mut AnyConnection, id: i64, opens_at: &str, closes_at: &str) -> Result<()> {
    sqlx::query("UPDATE elections SET status = 'open', opens_at = $1, closes_at = $2 WHERE id = $3").bind(opens_at).bind(closes_at).bind(id).execute(c).await?;
    Ok(())
}

/// Records the result; only an open election closes, so it closes once.
pub async fn close(c: &mut AnyConnection, id: i64, result_json: &str, at: &str) -> Result<bool> {
    Ok(sqlx::query("UPDATE elections SET status = 'closed', result_json = $1, closed_at = $2 WHERE id = $3 AND status = 'open'")
        .bind(result_json)
        .bind(at)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected()
        == 1)
}

pub async fn due_to_close(c: &mut AnyConnection, now: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM elections WHERE status = 'open' AND closes_at <= $1 ORDER BY id").bind(now).fetch_all(c).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert_eligible(c: &mut AnyConnection, id: i64, member_ids: &[i64]) -> Result<()> {
    for m in member_ids {
        sqlx::query("INSERT INTO election_eligible (election_id, member_id) VALUES ($1, $2)").bind(id).bind(m).execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn eligible_ids(c: &mut AnyConnection, id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT member_id FROM election_eligible WHERE election_id = $1 ORDER BY member_id").bind(id).fetch_all(c).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Whether `member_id` may vote in the election (fixed when it opened).
pub async fn is_eligible(c: &mut AnyConnection, id: i64, member_id: i64) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT member_id FROM election_eligible WHERE election_id = $1 AND member_id = $2")
        .bind(id)
        .bind(member_id)
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}

/// How many members may vote in the election.
pub async fn eligible_count(c: &mut AnyConnection, id: i64) -> Result<u32> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM election_eligible WHERE election_id = $1").bind(id).fetch_one(c).await?;
    Ok(n as u32)
}

pub async fn insert_ballot(c: &mut AnyConnection, ballot_id: &str, election_id: i64, ballot: &str, receipt_hash: &str) -> Result<()> {
    sqlx::query("INSERT INTO election_ballots (id, election_id, ballot, receipt_hash) VALUES ($1, $2, $3, $4)")
        .bind(ballot_id)
        .bind(election_id)
        .bind(ballot)
        .bind(receipt_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn replace_ballot(c: &mut AnyConnection, election_id: i64, receipt_hash: &str, ballot: &str) -> Result<u64> {
    Ok(sqlx::query("UPDATE election_ballots SET ballot = $1 WHERE election_id = $2 AND receipt_hash = $3")
        .bind(ballot)
        .bind(election_id)
        .bind(receipt_hash)
        .execute(c)
        .await?
        .rows_affected())
}

/// `(id, ballot JSON, receipt_hash)` ordered by the random id.
pub async fn ballots(c: &mut AnyConnection, election_id: i64) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as("SELECT id, ballot, receipt_hash FROM election_ballots WHERE election_id = $1 ORDER BY id").bind(election_id).fetch_all(c).await?)
}

pub async fn record_turnout(c: &mut AnyConnection, election_id: i64, member_id: i64) -> Result<()> {
    sqlx::query("INSERT INTO election_turnout (election_id, member_id) VALUES ($1, $2)").bind(election_id).bind(member_id).execute(c).await?;
    Ok(())
}

pub async fn turnout(c: &mut AnyConnection, election_id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT member_id FROM election_turnout WHERE election_id = $1 ORDER BY member_id").bind(election_id).fetch_all(c).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The sealed content of a closed election: the election row, eligibility, turnout and
/// every ballot.
pub async fn content(c: &mut AnyConnection, id: i64) -> Result<Option<Value>> {
    let Some(e) = get(c, id).await? else {
        return Ok(None);
    };
    let eligible = eligible_ids(c, id).await?;
    let turnout = turnout(c, id).await?;
    let ballots = ballots(c, id).await?;
    Ok(Some(json!({
        "election": {
            "id": e.id, "title": e.title, "seats": e.seats, "method": e.method, "candidates": e.candidates_json,
            "eligible_states": e.eligible_states, "status": e.status, "opens_at": e.opens_at, "closes_at": e.closes_at,
            "result": e.result_json, "created_at": e.created_at, "closed_at": e.closed_at,
        },
        "eligible": eligible,
        "turnout": turnout,
        "ballots": ballots.iter().map(|(bid, b, r)| json!([bid, b, r])).collect::<Vec<_>>(),
    })))
}
