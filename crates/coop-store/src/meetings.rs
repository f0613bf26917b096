//! Meetings and minutes: the meeting itself (place, link, series), its agenda items, roles,
//! attendance (in `decisions`), actions, the minutes' approval and seal, errata, and the
//! hashed tokens of members' calendar feeds. The rules live in `coop_core::meeting`.

use crate::Result;
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// The kind name under which approved minutes are sealed.
pub const MINUTES_RECORD_KIND: &str = "minutes";
/// The kind name under which each erratum to approved minutes is sealed.
pub const ERRATUM_RECORD_KIND: &str = "minutes_erratum";

/// One meeting as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: String,
    pub minutes_long: i64,
    pub status: String,
    pub place: String,
    pub link: String,
    pub series_id: Option<i64>,
    pub repeat_rule: Option<String>,
    pub agenda_published_at: Option<String>,
    pub minutes_status: String,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub approval_head: Option<String>,
    pub created_at: String,
}

const MEETING_COLUMNS: &str = "id, title, kind, starts_at, minutes_long, status, place, link, series_id, repeat_rule, agenda_published_at, \
                               minutes_status, approved_at, approved_by, approval_head, created_at";

type MeetingTuple = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

fn meeting_row(t: MeetingTuple) -> MeetingRow {
    let (
        id,
        title,
        kind,
        starts_at,
        minutes_long,
        status,
        place,
        link,
        series_id,
        repeat_rule,
        agenda_published_at,
        minutes_status,
        approved_at,
        approved_by,
        approval_head,
        created_at,
    ) = t;
    MeetingRow {
        id,
        title,
        kind,
        starts_at,
        minutes_long,
        status,
        place,
        link,
        series_id,
        repeat_rule,
        agenda_published_at,
        minutes_status,
        approved_at,
        approved_by,
        approval_head,
        created_at,
    }
}

/// What a new meeting needs.
#[derive(Clone, Debug)]
pub struct NewMeeting<'a> {
    pub title: &'a str,
    pub kind: &'a str,
    pub starts_at: &'a str,
    pub minutes_long: i64,
    pub place: &'a str,
    pub link: &'a str,
    pub series_id: Option<i64>,
    pub repeat_rule: Option<&'a str>,
    pub created_at: &'a str,
}

pub async fn insert_meeting(c: &mut AnyConnection, m: &NewMeeting<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO meetings (title, kind, starts_at, minutes_long, status, place, link, series_id, repeat_rule, minutes_status, created_at) \
         VALUES ($1, $2, $3, $4, 'scheduled', $5, $6, $7, $8, 'draft', $9) RETURNING id",
    )
    .bind(m.title)
    .bind(m.kind)
    .bind(m.starts_at)
    .bind(m.minutes_long)
    .bind(m.place)
    .bind(m.link)
    .bind(m.series_id)
    .bind(m.repeat_rule)
    .bind(m.created_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Makes a meeting the head of its own series (the first of a repeating set).
pub async fn set_series(c: &mut AnyConnection, id: i64, series_id: i64) -> Result<()> {
    sqlx::query("UPDATE meetings SET series_id = $1 WHERE id = $2").bind(series_id).bind(id).execute(c).await?;
    Ok(())
}

pub async fn meeting(c: &mut AnyConnection, id: i64) -> Result<Option<MeetingRow>> {
    let t: Option<MeetingTuple> = sqlx::query_as(&format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1")).bind(id).fetch_optional(c).await?;
    Ok(t.map(meeting_row))
}

/// Meetings starting in `[from, to)` (stored instants), soonest first; `None` bounds are open.
pub async fn meetings_between(c: &mut AnyConnection, from: Option<&str>, to: Option<&str>) -> Result<Vec<MeetingRow>> {
    let rows: Vec<MeetingTuple> = sqlx::query_as(&format!(
        "SELECT {MEETING_COLUMNS} FROM meetings WHERE ($1 IS NULL OR starts_at >= $1) AND ($2 IS NULL OR starts_at < $2) ORDER BY starts_at, id"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(meeting_row).collect())
}

/// Marks a scheduled meeting as held (it has attendance or notes).
pub async fn mark_held(c: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE meetings SET status = 'held' WHERE id = $1 AND status = 'scheduled'").bind(id).execute(c).await?;
    Ok(())
}

pub async fn set_minutes_status(c: &mut AnyConnection, id: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE meetings SET minutes_status = $1 WHERE id = $2").bind(status).bind(id).execute(c).await?;
    Ok(())
}

pub async fn publish_agenda(c: &mut AnyConnection, id: i64, at: &str) -> Result<()> {
    sqlx::query("UPDATE meetings SET agenda_published_at = $1 WHERE id = $2").bind(at).bind(id).execute(c).await?;
    Ok(())
}

/// Records approval; the caller seals the minutes in the same transaction.
pub async fn approve(c: &mut AnyConnection, id: i64, at: &str, by: &str, head: &str) -> Result<()> {
    sqlx::query("UPDATE meetings SET status = 'approved', minutes_status = 'approved', approved_at = $1, approved_by = $2, approval_head = $3 WHERE id = $4")
        .bind(at)
        .bind(by)
        .bind(head)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

// ----- agenda items -----

/// One agenda item (or a suggestion waiting to be put on the agenda).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
    pub presenter_id: Option<i64>,
    pub minutes_box: Option<i64>,
    pub notes: String,
    pub proposal_id: Option<i64>,
    pub state: String,
    pub suggested_by: Option<i64>,
}

type ItemTuple = (i64, i64, i64, String, Option<i64>, Option<i64>, String, Option<i64>, String, Option<i64>);
const ITEM_COLUMNS: &str = "id, meeting_id, position, title, presenter_id, minutes_box, notes, proposal_id, state, suggested_by";

fn item_row(t: ItemTuple) -> ItemRow {
    let (id, meeting_id, position, title, presenter_id, minutes_box, notes, proposal_id, state, suggested_by) = t;
    ItemRow { id, meeting_id, position, title, presenter_id, minutes_box, notes, proposal_id, state, suggested_by }
}

/// What a new item needs.
#[derive(Clone, Debug)]
pub struct NewItem<'a> {
    pub meeting_id: i64,
    pub title: &'a str,
    pub presenter_id: Option<i64>,
    pub minutes_box: Option<i64>,
    pub notes: &'a str,
    pub proposal_id: Option<i64>,
    pub state: &'a str,
    pub suggested_by: Option<i64>,
    pub created_at: &'a str,
}

/// Adds an item at the end of the meeting's list.
pub async fn insert_item(c: &mut AnyConnection, i: &NewItem<'_>) -> Result<i64> {
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(position) FROM meeting_items WHERE meeting_id = $1").bind(i.meeting_id).fetch_one(&mut *c).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO meeting_items (meeting_id, position, title, presenter_id, minutes_box, notes, proposal_id, state, suggested_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(i.meeting_id)
    .bind(last.unwrap_or(0) + 1)
    .bind(i.title)
    .bind(i.presenter_id)
    .bind(i.minutes_box)
    .bind(i.notes)
    .bind(i.proposal_id)
    .bind(i.state)
    .bind(i.suggested_by)
    .bind(i.created_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Every item of a meeting, agenda and suggestions, in agenda order.
pub async fn items(c: &mut AnyConnection, meeting_id: i64) -> Result<Vec<ItemRow>> {
    let rows: Vec<ItemTuple> =
        sqlx::query_as(&format!("SELECT {ITEM_COLUMNS} FROM meeting_items WHERE meeting_id = $1 ORDER BY position, id")).bind(meeting_id).fetch_all(c).await?;
    Ok(rows.into_iter().map(item_row).collect())
}

pub async fn item(c: &mut AnyConnection, id: i64) -> Result<Option<ItemRow>> {
    let t: Option<ItemTuple> = sqlx::query_as(&format!("SELECT {ITEM_COLUMNS} FROM meeting_items WHERE id = $1")).bind(id).fetch_optional(c).await?;
    Ok(t.map(item_row))
}

pub async fn set_item_notes(c: &mut AnyConnection, id: i64, notes: &str) -> Result<()> {
    sqlx::query("UPDATE meeting_items SET notes = $1 WHERE id = $2").bind(notes).bind(id).execute(c).await?;
    Ok(())
}

pub async fn set_item_state(c: &mut AnyConnection, id: i64, state: &str) -> Result<()> {
    sqlx::query("UPDATE meeting_items SET state = $1 WHERE id = $2").bind(state).bind(id).execute(c).await?;
    Ok(())
}

pub async fn set_item_position(c: &mut AnyConnection, id: i64, position: i64) -> Result<()> {
    sqlx::query("UPDATE meeting_items SET position = $1 WHERE id = $2").bind(position).bind(id).execute(c).await?;
    Ok(())
}

// ----- roles -----

pub async fn set_role(c: &mut AnyConnection, meeting_id: i64, role: &str, member_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM meeting_roles WHERE meeting_id = $1 AND role = $2").bind(meeting_id).bind(role).execute(&mut *c).await?;
    sqlx::query("INSERT INTO meeting_roles (meeting_id, role, member_id) VALUES ($1, $2, $3)").bind(meeting_id).bind(role).bind(member_id).execute(c).await?;
    Ok(())
}

/// `(role, member_id)` of a meeting.
pub async fn roles(c: &mut AnyConnection, meeting_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT role, member_id FROM meeting_roles WHERE meeting_id = $1 ORDER BY role").bind(meeting_id).fetch_all(c).await?)
}

/// `(role, member_id, starts_at)` of every role held at a meeting before `before`.
pub async fn role_history(c: &mut AnyConnection, before: &str) -> Result<Vec<(String, i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT r.role, r.member_id, m.starts_at FROM meeting_roles r JOIN meetings m ON m.id = r.meeting_id WHERE m.starts_at < $1 ORDER BY m.starts_at",
    )
    .bind(before)
    .fetch_all(c)
    .await?)
}

// ----- actions -----

/// One action item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub item_id: Option<i64>,
    pub title: String,
    pub owner_id: i64,
    pub due_date: String,
    pub done_at: Option<String>,
}

type ActionTuple = (i64, i64, Option<i64>, String, i64, String, Option<String>);
const ACTION_COLUMNS: &str = "id, meeting_id, item_id, title, owner_id, due_date, done_at";

fn action_row(t: ActionTuple) -> ActionRow {
    let (id, meeting_id, item_id, title, owner_id, due_date, done_at) = t;
    ActionRow { id, meeting_id, item_id, title, owner_id, due_date, done_at }
}

pub async fn insert_action(c: &mut AnyConnection, meeting_id: i64, item_id: Option<i64>, title: &str, owner_id: i64, due: &str, at: &str) -> Result<i64> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO meeting_actions (meeting_id, item_id, title, owner_id, due_date, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(meeting_id)
            .bind(item_id)
            .bind(title)
            .bind(owner_id)
            .bind(due)
            .bind(at)
            .fetch_one(c)
            .await?;
    Ok(id)
}

pub async fn actions(c: &mut AnyConnection, meeting_id: i64) -> Result<Vec<ActionRow>> {
    let rows: Vec<ActionTuple> =
        sqlx::query_as(&format!("SELECT {ACTION_COLUMNS} FROM meeting_actions WHERE meeting_id = $1 ORDER BY id")).bind(meeting_id).fetch_all(c).await?;
    Ok(rows.into_iter().map(action_row).collect())
}

pub async fn action(c: &mut AnyConnection, id: i64) -> Result<Option<ActionRow>> {
    let t: Option<ActionTuple> = sqlx::query_as(&format!("SELECT {ACTION_COLUMNS} FROM meeting_actions WHERE id = $1")).bind(id).fetch_optional(c).await?;
    Ok(t.map(action_row))
}

/// Open actions (not done) across all meetings, by due date; only `owner`'s when given.
pub async fn open_actions(c: &mut AnyConnection, owner: Option<i64>) -> Result<Vec<ActionRow>> {
    let rows: Vec<ActionTuple> =
        sqlx::query_as(&format!("SELECT {ACTION_COLUMNS} FROM meeting_actions WHERE done_at IS NULL AND ($1 IS NULL OR owner_id = $1) ORDER BY due_date, id"))
            .bind(owner)
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(action_row).collect())
}

pub async fn set_action_done(c: &mut AnyConnection, id: i64, at: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE meeting_actions SET done_at = $1 WHERE id = $2").bind(at).bind(id).execute(c).await?;
    Ok(())
}

// ----- decisions at the meeting -----

/// `(id, title, status, outcome_json)` of the proposals decided at a meeting.
pub async fn meeting_proposals(c: &mut AnyConnection, meeting_id: i64) -> Result<Vec<(i64, String, String, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, title, status, outcome_json FROM proposals WHERE meeting_id = $1 ORDER BY id").bind(meeting_id).fetch_all(c).await?)
}

/// `(id, title, closes_at)` of open proposals voted outside meetings, for calendars.
pub async fn open_deadlines(c: &mut AnyConnection) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as("SELECT id, title, closes_at FROM proposals WHERE status = 'open' AND meeting_id IS NULL ORDER BY closes_at, id").fetch_all(c).await?)
}

// ----- errata -----

pub async fn insert_erratum(c: &mut AnyConnection, meeting_id: i64, body: &str, by: &str, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO minutes_errata (meeting_id, body, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(meeting_id)
        .bind(body)
        .bind(by)
        .bind(at)
        .fetch_one(c)
        .await?;
    Ok(id)
}

/// `(id, body, created_by, created_at)` of a meeting's errata, oldest first.
pub async fn errata(c: &mut AnyConnection, meeting_id: i64) -> Result<Vec<(i64, String, String, String)>> {
    Ok(sqlx::query_as("SELECT id, body, created_by, created_at FROM minutes_errata WHERE meeting_id = $1 ORDER BY id").bind(meeting_id).fetch_all(c).await?)
}

/// The sealed content of one erratum.
pub async fn erratum_content(c: &mut AnyConnection, id: i64) -> Result<Option<Value>> {
    let row: Option<(i64, i64, String, String, String)> =
        sqlx::query_as("SELECT id, meeting_id, body, created_by, created_at FROM minutes_errata WHERE id = $1").bind(id).fetch_optional(c).await?;
    Ok(row.map(|(id, meeting_id, body, by, at)| json!({"id": id, "meeting_id": meeting_id, "body": body, "created_by": by, "created_at": at})))
}

// ----- calendar tokens -----

/// Replaces a member's calendar token (only its hash is kept).
pub async fn set_calendar_token(c: &mut AnyConnection, member_id: i64, token_hash: &str, at: &str) -> Result<()> {
    sqlx::query("DELETE FROM calendar_tokens WHERE member_id = $1").bind(member_id).execute(&mut *c).await?;
    sqlx::query("INSERT INTO calendar_tokens (member_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(member_id)
        .bind(token_hash)
        .bind(at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn member_for_calendar_token(c: &mut AnyConnection, token_hash: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT member_id FROM calendar_tokens WHERE token_hash = $1").bind(token_hash).fetch_optional(c).await?;
    Ok(row.map(|r| r.0))
}

// ----- the sealed minutes -----

/// The canonical content of a meeting's minutes as stored now: the meeting and its approval,
/// attendance, roles, the agenda items with their notes, the actions agreed (without whether
/// they are done yet, which changes after approval), and the decisions taken there. Built the
/// same way when the minutes are sealed and when `journal verify` checks them.
pub async fn minutes_content(c: &mut AnyConnection, id: i64) -> Result<Option<Value>> {
    let Some(m) = meeting(c, id).await? else {
        return Ok(None);
    };
    let attendance = crate::decisions::attendance(c, id).await?;
    let roles = roles(c, id).await?;
    let items = items(c, id).await?;
    let actions = actions(c, id).await?;
    let decisions = meeting_proposals(c, id).await?;
    Ok(Some(json!({
        "meeting": {
            "id": m.id, "title": m.title, "kind": m.kind, "starts_at": m.starts_at, "minutes_long": m.minutes_long,
            "place": m.place, "link": m.link, "approved_at": m.approved_at, "approved_by": m.approved_by, "approval_head": m.approval_head,
        },
        "attendance": attendance.iter().map(|(member, a)| json!([member, a])).collect::<Vec<_>>(),
        "roles": roles.iter().map(|(r, member)| json!([r, member])).collect::<Vec<_>>(),
        "items": items.iter().filter(|i| i.state == "agenda").map(|i| json!([i.id, i.position, i.title, i.presenter_id, i.minutes_box, i.notes, i.proposal_id])).collect::<Vec<_>>(),
        "actions": actions.iter().map(|a| json!([a.id, a.item_id, a.title, a.owner_id, a.due_date])).collect::<Vec<_>>(),
        "decisions": decisions.iter().map(|(pid, title, status, outcome)| json!([pid, title, status, outcome])).collect::<Vec<_>>(),
    })))
}
