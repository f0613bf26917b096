//! Members, their roles and their effective-dated state history.

use crate::{Result, StoreError};
use coop_core::member::{MemberState, Role, StateChange, StateHistory};
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// The kind name under which state changes are sealed.
pub const STATE_RECORD_KIND: &str = "member_state";

/// A member row with the state in force on the date the query asked about.
#[derive(Clone, Debug)]
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub language: Option<String>,
    pub created_at: String,
    /// The state on the asked date, if the person had one then.
    pub state: Option<MemberState>,
    /// The first day of that state.
    pub since: Option<String>,
    pub planned_end: Option<String>,
    pub roles: Vec<Role>,
}

type ListRow = (i64, String, String, Option<String>, String, Option<String>, Option<String>, Option<String>, Option<String>);

fn parse_state(s: &str) -> Result<MemberState> {
    MemberState::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse_date(s: &str) -> Result<jiff::civil::Date> {
    coop_core::time::parse_date(s).map_err(StoreError::Corrupt)
}

/// Filters for listing members.
#[derive(Clone, Debug, Default)]
pub struct MemberQuery {
    /// Matches name or email, case-insensitively, anywhere.
    pub search: Option<String>,
    pub state: Option<MemberState>,
    pub id: Option<i64>,
    pub email: Option<String>,
}

/// Members with their state on `on` (a `YYYY-MM-DD` date), ordered by name then id.
///
/// Only the filters that are set become SQL conditions, so a lookup by id or email uses
/// its index instead of scanning every member.
pub async fn list(c: &mut AnyConnection, on: &str, q: &MemberQuery) -> Result<Vec<MemberRow>> {
    select(c, on, q, None).await
}

/// One page of [`list`] (`limit` members from `offset`) and how many match in all. Without a
/// search the database reads only the page; a search reads every member (see [`list`]).
pub async fn list_page(c: &mut AnyConnection, on: &str, q: &MemberQuery, limit: u32, offset: u32) -> Result<(Vec<MemberRow>, u64)> {
    if q.search.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        let all = select(c, on, q, None).await?;
        let total = all.len() as u64;
        return Ok((all.into_iter().skip(offset as usize).take(limit as usize).collect(), total));
    }
    let rows = select(c, on, q, Some((limit, offset))).await?;
    let total = if offset == 0 && (rows.len() as u32) < limit { rows.len() as u64 } else { count(c, on, q).await? };
    Ok((rows, total))
}

/// Whether a query has no SQL filter (the search is applied after the query).
fn unfiltered(q: &MemberQuery) -> bool {
    q.state.is_none() && q.id.is_none() && q.email.is_none()
}

/// The WHERE clause of a member query (`$1` is the date; the filters follow in the order
/// [`bind_filters`] binds them).
fn filter_clause(q: &MemberQuery) -> String {
    let mut conditions = Vec::new();
    let mut n = 1;
    let mut param = || {
        n += 1;
        format!("${n}")
    };
    if q.state.is_some() {
        conditions.push(format!("s.state = {}", param()));
    }
    if q.id.is_some() {
        conditions.push(format!("m.id = {}", param()));
    }
    if q.email.is_some() {
        conditions.push(format!("m.email = {}", param()));
    }
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}

/// The join that gives each member their state on `$1`.
const STATE_ON_JOIN: &str = "LEFT JOIN member_states s ON s.id = ( \
     SELECT s2.id FROM member_states s2 WHERE s2.member_id = m.id AND s2.since <= $1 \
     ORDER BY s2.since DESC, s2.id DESC LIMIT 1)";

macro_rules! bind_filters {
    ($query:expr, $q:expr) => {{
        let mut query = $query;
        if let Some(state) = $q.state {
            query = query.bind(state.as_str());
        }
        if let Some(id) = $q.id {
            query = query.bind(id);
        }
        if let Some(email) = &$q.email {
            query = query.bind(email.clone());
        }
        query
    }};
}

/// How many members match the filters (the search aside).
async fn count(c: &mut AnyConnection, on: &str, q: &MemberQuery) -> Result<u64> {
    if unfiltered(q) {
        // The state join never adds or drops a member: without filters, no need to run it.
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members").fetch_one(c).await?;
        return Ok(n as u64);
    }
    let sql = format!("SELECT COUNT(*) FROM members m {STATE_ON_JOIN} {}", filter_clause(q));
    let (n,): (i64,) = bind_filters!(sqlx::query_as::<_, (i64,)>(&sql).bind(on), q).fetch_one(c).await?;
    Ok(n as u64)
}

async fn select(c: &mut AnyConnection, on: &str, q: &MemberQuery, window: Option<(u32, u32)>) -> Result<Vec<MemberRow>> {
    // The search is matched here, not with SQL `LIKE`: SQLite's LOWER() and LIKE fold only
    // ASCII letters, so "élodie" found "Élodie" on PostgreSQL but not on SQLite. A search
    // for a part of a name reads every member either way (no index serves `%text%`).
    let search = q.search.as_ref().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let window = match window {
        Some((limit, offset)) if search.is_none() => format!("LIMIT {limit} OFFSET {offset}"),
        _ => String::new(),
    };
    // A page of the whole list is cut before the state and roles are looked up for it, not
    // after they were for every member (a third of the time for a page of 1,000 members).
    let (members, window) = if unfiltered(q) && !window.is_empty() {
        (format!("(SELECT * FROM members ORDER BY LOWER(name), id {window}) m"), String::new())
    } else {
        ("members m".to_string(), window)
    };
    let sql = format!(
        "SELECT m.id, m.name, m.email, m.language, m.created_at, s.state, s.since, s.planned_end, ({ROLES_SUBQUERY}) \
         FROM {members} {STATE_ON_JOIN} {} \
         ORDER BY LOWER(m.name), m.id {window}",
        filter_clause(q)
    );
    let query = bind_filters!(sqlx::query_as::<_, ListRow>(&sql).bind(on), q);
    let rows = query.fetch_all(c).await?;
    rows.into_iter()
        .filter(|(_, name, email, ..)| search.as_deref().is_none_or(|s| name.to_lowercase().contains(s) || email.to_lowercase().contains(s)))
        .map(|(id, name, email, language, created_at, state, since, planned_end, roles)| {
            Ok(MemberRow {
                id,
                name,
                email,
                language,
                created_at,
                state: state.as_deref().map(parse_state).transpose()?,
                since,
                planned_end,
                roles: roles
                    .unwrap_or_default()
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(|r| Role::parse(r).map_err(StoreError::Corrupt))
                    .collect::<Result<_>>()?,
            })
        })
        .collect()
}

/// Roles as one comma-separated text column, written so SQLite and PostgreSQL both accept it.
const ROLES_SUBQUERY: &str = "SELECT MAX(CASE WHEN r.role = 'admin' THEN 'admin,' ELSE '' END) || \
     MAX(CASE WHEN r.role = 'secretary' THEN 'secretary,' ELSE '' END) FROM member_roles r WHERE r.member_id = m.id";

/// Counts of members by state on a date.
pub async fn count_by_state(c: &mut AnyConnection, on: &str) -> Result<Vec<(MemberState, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.state, COUNT(*) FROM members m \
         JOIN member_states s ON s.id = ( \
             SELECT s2.id FROM member_states s2 WHERE s2.member_id = m.id AND s2.since <= $1 \
             ORDER BY s2.since DESC, s2.id DESC LIMIT 1) \
         GROUP BY s.state",
    )
    .bind(on)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(|(s, n)| Ok((parse_state(&s)?, n))).collect()
}

pub async fn insert(c: &mut AnyConnection, name: &str, email: &str, language: Option<&str>, password_hash: Option<&str>, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO members (name, email, language, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(name)
        .bind(email)
        .bind(language)
        .bind(password_hash)
        .bind(at)
        .fetch_one(c)
        .await?;
    Ok(id)
}

pub async fn update_profile(c: &mut AnyConnection, id: i64, name: &str, email: &str, language: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE members SET name = $1, email = $2, language = $3 WHERE id = $4")
        .bind(name)
        .bind(email)
        .bind(language)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_roles(c: &mut AnyConnection, id: i64, roles: &[Role]) -> Result<()> {
    sqlx::query("DELETE FROM member_roles WHERE member_id = $1").bind(id).execute(&mut *c).await?;
    for role in roles {
        sqlx::query("INSERT INTO member_roles (member_id, role) VALUES ($1, $2)").bind(id).bind(role.as_str()).execute(&mut *c).await?;
    }
    Ok(())
}

/// A member's whole state history, in recorded order.
pub async fn history(c: &mut AnyConnection, member_id: i64) -> Result<StateHistory> {
    Ok(StateHistory::from_recorded(history_rows(c, member_id).await?.into_iter().map(|(_, ch, _)| ch).collect()))
}

/// The history with each change's row id and recording instant (for pages and seals).
pub async fn history_rows(c: &mut AnyConnection, member_id: i64) -> Result<Vec<(i64, StateChange, String)>> {
    let rows: Vec<(i64, String, String, Option<String>, String, String)> =
        sqlx::query_as("SELECT id, state, since, planned_end, note, recorded_at FROM member_states WHERE member_id = $1 ORDER BY since, id")
            .bind(member_id)
            .fetch_all(c)
            .await?;
    rows.into_iter()
        .map(|(id, state, since, planned_end, note, recorded_at)| {
            Ok((
                id,
                StateChange { state: parse_state(&state)?, since: parse_date(&since)?, planned_end: planned_end.as_deref().map(parse_date).transpose()?, note },
                recorded_at,
            ))
        })
        .collect()
}

/// Records a state change (already checked by the core rules) and returns its row id.
pub async fn insert_state(c: &mut AnyConnection, member_id: i64, change: &StateChange, recorded_at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO member_states (member_id, state, since, planned_end, note, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(member_id)
    .bind(change.state.as_str())
    .bind(change.since.to_string())
    .bind(change.planned_end.map(|d| d.to_string()))
    .bind(&change.note)
    .bind(recorded_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Every column of a `member_states` row.
type StateRowTuple = (i64, i64, String, String, Option<String>, String, String);

/// The sealed content of one state change: every column of its row.
pub async fn state_change_content(c: &mut AnyConnection, id: i64) -> Result<Option<Value>> {
    let row: Option<StateRowTuple> =
        sqlx::query_as("SELECT id, member_id, state, since, planned_end, note, recorded_at FROM member_states WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(id, member_id, state, since, planned_end, note, recorded_at)| {
        json!({"id": id, "member_id": member_id, "state": state, "since": since, "planned_end": planned_end, "note": note, "recorded_at": recorded_at})
    }))
}

pub async fn password_hash(c: &mut AnyConnection, member_id: i64) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT password_hash FROM members WHERE id = $1").bind(member_id).fetch_optional(c).await?;
    Ok(row.and_then(|r| r.0))
}

pub async fn set_password_hash(c: &mut AnyConnection, member_id: i64, hash: &str) -> Result<()> {
    sqlx::query("UPDATE members SET password_hash = $1 WHERE id = $2").bind(hash).bind(member_id).execute(c).await?;
    Ok(())
}

/// `(id, password_hash)` of the member with this email.
pub async fn login_lookup(c: &mut AnyConnection, email: &str) -> Result<Option<(i64, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, password_hash FROM members WHERE email = $1").bind(email).fetch_optional(c).await?)
}
