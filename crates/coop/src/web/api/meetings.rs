//! The meetings part of the JSON API: scheduling, the agenda (items added, suggested, accepted,
//! reordered, published), roles, attendance with the live quorum of the decisions taken or
//! linked there, notes, actions, the minutes from draft to circulated to approved and sealed,
//! errata, and the exports (Markdown, printable HTML, PDF, iCalendar).
//!
//! Same rules as the rest of [`super`]: read the request (422 naming the field), call the
//! `coop-app` use case with the caller's actor, shape the answer with the DTOs below (mirrors
//! of `coop_app::meetings` types, converted with exhaustive `From` impls). Who may do what is
//! the use cases' call: the record keeper (secretary or admin) schedules, keeps the agenda,
//! roles, attendance, actions and minutes; the meeting's note-taker writes notes too; an
//! action's owner marks it done; every current participant reads and suggests items.
//!
//! `GET /meetings/{id}` answers the contract's `coop meeting show --json` document (`id`,
//! `title`, `at`, `status`, `attendance` counts, `items`, `actions`, `sealed_hash`) with
//! everything else the view has (roles, attendees, decisions with their quorum, errata). A
//! write that changes a meeting answers with the meeting as it now is (read back with the
//! caller's actor); one that creates something (an item, an action, an erratum) answers 201
//! with what it created.
//!
//! Members are named by id or email: in a body an unknown one is bad input (422 naming the
//! field: `presenter`, `owner`, `member`), in a path a missing resource (404). Once the
//! minutes are approved they are sealed: any change to the record is 409, and corrections are
//! appended as errata (each sealed on its own).

use super::decisions::{ProposalStatus, ProposalView};
use super::work::MemberRef;
use super::{invalid, non_empty, rename, Body, Id, Params, PathParams};
use crate::web::auth::Auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use coop_app::meetings::{self as app, ExportFormat, ItemInput, MeetingInput};
use coop_app::AppError;
use coop_core::meeting::Repeat;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/meetings", get(list_meetings).post(schedule_meeting))
        .route("/meetings/{id}", get(get_meeting))
        .route("/meetings/{id}/items", post(add_item))
        .route("/meetings/{id}/suggestions", post(suggest_item))
        .route("/meetings/{id}/items/{item}/accept", post(accept_item))
        .route("/meetings/{id}/items/{item}/notes", put(set_notes))
        .route("/meetings/{id}/agenda", put(reorder_agenda))
        .route("/meetings/{id}/publish", post(publish_agenda))
        .route("/meetings/{id}/attendance/{member}", put(attend))
        .route("/meetings/{id}/rotation", get(role_rotation))
        .route("/meetings/{id}/roles/{role}", put(set_role))
        .route("/meetings/{id}/actions", post(add_action))
        .route("/actions", get(open_actions))
        .route("/actions/{id}/done", post(action_done))
        .route("/actions/{id}/reopen", post(action_reopen))
        .route("/meetings/{id}/minutes/circulate", post(circulate_minutes))
        .route("/meetings/{id}/minutes/reopen", post(reopen_minutes))
        .route("/meetings/{id}/minutes/approve", post(approve_minutes))
        .route("/meetings/{id}/minutes/proposal", post(propose_approval))
        .route("/meetings/{id}/errata", post(add_erratum))
        .route("/meetings/{id}/minutes.md", get(minutes_md))
        .route("/meetings/{id}/minutes.html", get(minutes_html))
        .route("/meetings/{id}/minutes.pdf", get(minutes_pdf))
        .route("/meetings/{id}/event.ics", get(meeting_ics))
        .route("/calendar.ics", get(calendar))
}

// ---------------------------------------------------------------------------------------------
// Reading requests.





fn instant(field: &str, value: &str) -> Result<jiff::Timestamp, ApiError> {
    coop_core::time::parse_instant(value.trim()).map_err(|e| invalid(field, e))
}

fn opt_instant(field: &str, value: Option<String>) -> Result<Option<jiff::Timestamp>, ApiError> {
    non_empty(value).map(|v| instant(field, &v)).transpose()
}

/// A member named in a body by id or email. An id is passed on as is (the use case refuses an
/// unknown one, naming `field`); an email nobody has is bad input naming `field`.
async fn member_in_body(state: &AppState, auth: &Auth, field: &str, member: MemberRef) -> Result<i64, ApiError> {
    let text = match member {
        MemberRef::Id(id) => return Ok(id),
        MemberRef::Email(text) => text.trim().to_string(),
    };
    if let Ok(id) = text.parse::<i64>() {
        return Ok(id);
    }
    if text.is_empty() {
        return Err(invalid(field, "name the member: their id or email"));
    }
    state.app.member_id_by_email(&auth.actor, &text).await.map_err(|e| match e {
        AppError::NotFound(_) => invalid(field, format!("no member has the email {text:?}")),
        AppError::Invalid { message, .. } => invalid(field, message),
        other => ApiError(other),
    })
}

/// A member named in a query string (`owner`, `member`): absent or empty is none.
async fn member_in_query(state: &AppState, auth: &Auth, field: &str, member: Option<String>) -> Result<Option<i64>, ApiError> {
    match non_empty(member) {
        None => Ok(None),
        Some(text) => match text.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Some(id)),
            Ok(_) => Err(invalid(field, format!("{text:?} is not an id (ids are positive whole numbers)"))),
            Err(_) => member_in_body(state, auth, field, MemberRef::Email(text)).await.map(Some),
        },
    }
}

/// The `{member}` of a path, an id or an email: one nobody has is a missing resource.
async fn member_in_path(state: &AppState, auth: &Auth, text: &str) -> Result<i64, ApiError> {
    if let Ok(id) = text.parse::<i64>() {
        return if id > 0 { Ok(id) } else { Err(invalid("member", format!("{text:?} is not an id (ids are positive whole numbers)"))) };
    }
    state.app.member_id_by_email(&auth.actor, text).await.map_err(|e| match e {
        AppError::Invalid { .. } => invalid("member", format!("{text:?} is neither a member's id nor an email")),
        other => ApiError(other),
    })
}

// ---------------------------------------------------------------------------------------------
// The API's own types.

/// Where a meeting stands: `held` once anything is recorded (attendance, notes), `approved`
/// once its minutes are.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Scheduled,
    Held,
    Approved,
}

/// Where the minutes stand; `approved` minutes are sealed.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatusName {
    Draft,
    Circulated,
    Approved,
}

/// The kind of a meeting.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    General,
    Production,
    Board,
    Committee,
}

/// A member's attendance; `remote` counts as present.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceName {
    Present,
    Remote,
    Absent,
    Excused,
}

/// A role at a meeting.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingRoleName {
    Facilitator,
    NoteTaker,
    Timekeeper,
}

/// Whether an item is on the agenda or waits for the record keeper.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgendaItemState {
    Agenda,
    Suggested,
}

/// Attendance counts, as `coop meeting show --json` gives them.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceCounts {
    pub present: u32,
    /// Counted as present for every quorum.
    pub remote: u32,
    pub absent: u32,
    pub excused: u32,
}

impl From<app::AttendanceCounts> for AttendanceCounts {
    fn from(c: app::AttendanceCounts) -> Self {
        let app::AttendanceCounts { present, remote, absent, excused } = c;
        AttendanceCounts { present, remote, absent, excused }
    }
}

/// A member's recorded attendance.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendeeView {
    pub member_id: i64,
    pub name: String,
    pub email: String,
    #[schema(value_type = AttendanceName)]
    pub attendance: String,
}

impl From<app::AttendeeView> for AttendeeView {
    fn from(a: app::AttendeeView) -> Self {
        let app::AttendeeView { member_id, name, email, attendance } = a;
        AttendeeView { member_id, name, email, attendance }
    }
}

/// Who holds a role at the meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingRoleView {
    #[schema(value_type = MeetingRoleName)]
    pub role: String,
    pub member_id: i64,
    pub name: String,
    pub email: String,
}

impl From<app::RoleView> for MeetingRoleView {
    fn from(r: app::RoleView) -> Self {
        let app::RoleView { role, member_id, name, email } = r;
        MeetingRoleView { role, member_id, name, email }
    }
}

/// Who should take a role next: the member who held it least recently.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleSuggestionView {
    #[schema(value_type = MeetingRoleName)]
    pub role: String,
    pub member_id: i64,
    pub name: String,
    pub email: String,
}

impl From<app::RoleSuggestion> for RoleSuggestionView {
    fn from(r: app::RoleSuggestion) -> Self {
        let app::RoleSuggestion { role, member_id, name, email } = r;
        RoleSuggestionView { role, member_id, name, email }
    }
}

/// An agenda item (or a suggestion waiting for the record keeper).
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemView {
    pub id: i64,
    /// 1, 2, 3... in agenda order.
    pub position: i64,
    pub title: String,
    pub presenter_id: Option<i64>,
    /// The presenter's name.
    pub presenter: Option<String>,
    /// The item's time box in minutes.
    pub minutes_box: Option<i64>,
    pub notes: String,
    /// A proposal discussed (or decided) under this item.
    pub proposal_id: Option<i64>,
    #[schema(value_type = AgendaItemState)]
    pub state: String,
    /// The member who suggested it.
    pub suggested_by: Option<i64>,
}

impl From<app::ItemView> for AgendaItemView {
    fn from(i: app::ItemView) -> Self {
        let app::ItemView { id, position, title, presenter_id, presenter, minutes_box, notes, proposal_id, state, suggested_by } = i;
        AgendaItemView { id, position, title, presenter_id, presenter, minutes_box, notes, proposal_id, state, suggested_by }
    }
}

/// An action agreed at a meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingActionView {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    /// The agenda item it came from.
    pub item_id: Option<i64>,
    pub title: String,
    pub owner_id: i64,
    /// The owner's name.
    pub owner: String,
    pub owner_email: String,
    #[schema(format = Date)]
    pub due: String,
    pub done: bool,
    #[schema(format = DateTime)]
    pub done_at: Option<String>,
    /// Not done and due before today (in the co-op's time zone).
    pub overdue: bool,
}

impl From<app::ActionView> for MeetingActionView {
    fn from(a: app::ActionView) -> Self {
        let app::ActionView { id, meeting_id, meeting_title, item_id, title, owner_id, owner, owner_email, due, done, done_at, overdue } = a;
        MeetingActionView { id, meeting_id, meeting_title, item_id, title, owner_id, owner, owner_email, due, done, done_at, overdue }
    }
}

/// A decision taken at the meeting (or linked by an item), with its quorum as the attendance
/// gives it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingDecisionView {
    pub proposal_id: i64,
    pub title: String,
    pub class: String,
    #[schema(value_type = ProposalStatus)]
    pub status: String,
    /// Decided here by a show of hands (else only linked by an agenda item).
    pub at_meeting: bool,
    /// The class's quorum, `"num/den"`; null for none.
    #[schema(example = "1/2")]
    pub quorum: Option<String>,
    pub eligible: u32,
    /// ceil(quorum x eligible); 0 without a quorum.
    pub needed: u32,
    /// Members recorded present (remote counts).
    pub present: u32,
    /// `present >= needed`.
    pub met: bool,
    /// The outcome's summary once decided.
    pub summary: Option<String>,
}

impl From<app::DecisionQuorumView> for MeetingDecisionView {
    fn from(d: app::DecisionQuorumView) -> Self {
        let app::DecisionQuorumView { proposal_id, title, class, status, at_meeting, quorum, eligible, needed, present, met, summary } = d;
        MeetingDecisionView { proposal_id, title, class, status, at_meeting, quorum, eligible, needed, present, met, summary }
    }
}

/// A correction appended to approved minutes, sealed on its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErratumView {
    pub id: i64,
    pub text: String,
    /// `member:<id>` or `cli`.
    pub by: String,
    #[schema(format = DateTime)]
    pub at: String,
    /// The SHA-256 content hash sealed into the journal.
    pub sealed_hash: Option<String>,
}

impl From<app::ErratumView> for ErratumView {
    fn from(e: app::ErratumView) -> Self {
        let app::ErratumView { id, text, by, at, sealed_hash } = e;
        ErratumView { id, text, by, at, sealed_hash }
    }
}

/// A meeting: the contract's `coop meeting show --json` keys first, then the rest of the view.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub title: String,
    /// The start, RFC 3339 UTC.
    #[schema(format = DateTime)]
    pub at: String,
    #[schema(value_type = MeetingStatus)]
    pub status: String,
    pub attendance: AttendanceCounts,
    /// In agenda order; suggestions included (`state` tells them apart).
    pub items: Vec<AgendaItemView>,
    pub actions: Vec<MeetingActionView>,
    /// The SHA-256 content hash of the approved minutes, sealed into the journal; null before.
    pub sealed_hash: Option<String>,
    #[schema(value_type = MeetingKind)]
    pub kind: String,
    pub minutes_long: i64,
    /// The end, RFC 3339 UTC.
    pub ends_at: String,
    /// The start in the co-op's time zone, `"2027-03-14 19:00 (America/New_York)"`.
    pub local_time: String,
    pub place: String,
    /// An online link, or empty.
    pub link: String,
    /// The first meeting of its series, if it repeats.
    pub series_id: Option<i64>,
    /// `weekly`, `monthly` or `every-N-weeks`.
    pub repeat: Option<String>,
    #[schema(format = DateTime)]
    pub agenda_published_at: Option<String>,
    #[schema(value_type = MinutesStatusName)]
    pub minutes_status: String,
    #[schema(format = DateTime)]
    pub approved_at: Option<String>,
    /// `record` (the record keeper) or `proposal:N`.
    pub approved_by: Option<String>,
    /// The journal head just before the minutes were sealed.
    pub journal_head_at_approval: Option<String>,
    pub roles: Vec<MeetingRoleView>,
    pub attendees: Vec<AttendeeView>,
    pub decisions: Vec<MeetingDecisionView>,
    pub errata: Vec<ErratumView>,
}

impl From<app::MeetingView> for MeetingView {
    fn from(v: app::MeetingView) -> Self {
        let app::MeetingView {
            id,
            title,
            at,
            status,
            attendance,
            items,
            actions,
            sealed_hash,
            kind,
            minutes_long,
            ends_at,
            local_time,
            place,
            link,
            series_id,
            repeat,
            agenda_published_at,
            minutes_status,
            approved_at,
            approved_by,
            journal_head_at_approval,
            roles,
            attendees,
            decisions,
            errata,
        } = v;
        MeetingView {
            id,
            title,
            at,
            status,
            attendance: attendance.into(),
            items: items.into_iter().map(AgendaItemView::from).collect(),
            actions: actions.into_iter().map(MeetingActionView::from).collect(),
            sealed_hash,
            kind,
            minutes_long,
            ends_at,
            local_time,
            place,
            link,
            series_id,
            repeat,
            agenda_published_at,
            minutes_status,
            approved_at,
            approved_by,
            journal_head_at_approval,
            roles: roles.into_iter().map(MeetingRoleView::from).collect(),
            attendees: attendees.into_iter().map(AttendeeView::from).collect(),
            decisions: decisions.into_iter().map(MeetingDecisionView::from).collect(),
            errata: errata.into_iter().map(ErratumView::from).collect(),
        }
    }
}

/// What scheduling made: the (first) meeting, and the ids of the whole series.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduledMeetings {
    #[serde(flatten)]
    pub meeting: MeetingView,
    /// Every meeting scheduled, first first (one id for a one-off).
    pub meetings: Vec<i64>,
}

/// A meeting in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingSummary {
    pub id: i64,
    pub title: String,
    #[schema(value_type = MeetingKind)]
    pub kind: String,
    #[schema(format = DateTime)]
    pub at: String,
    pub local_time: String,
    pub minutes_long: i64,
    #[schema(value_type = MeetingStatus)]
    pub status: String,
    #[schema(value_type = MinutesStatusName)]
    pub minutes_status: String,
    pub place: String,
    pub link: String,
}

impl From<app::MeetingSummary> for MeetingSummary {
    fn from(m: app::MeetingSummary) -> Self {
        let app::MeetingSummary { id, title, kind, at, local_time, minutes_long, status, minutes_status, place, link } = m;
        MeetingSummary { id, title, kind, at, local_time, minutes_long, status, minutes_status, place, link }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests.

/// A meeting to schedule, or a series (`repeat` with `count` or `until`), as `coop meeting new`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingRequest {
    /// 1 to 300 characters.
    pub title: String,
    /// When it starts, RFC 3339; a series keeps this local time in the co-op's time zone.
    #[schema(format = DateTime, example = "2027-03-14T18:00:00Z")]
    pub at: String,
    /// `general` (default), `production`, `board` or `committee`.
    #[serde(default)]
    pub kind: Option<String>,
    /// 5 to 1440 (default 90).
    #[serde(default)]
    pub minutes_long: Option<i64>,
    #[serde(default)]
    pub place: Option<String>,
    /// An online link, `https://...`.
    #[serde(default)]
    pub link: Option<String>,
    /// `weekly`, `monthly` or `every-N-weeks` (e.g. `every-6-weeks`).
    #[serde(default)]
    pub repeat: Option<String>,
    /// How many meetings the series has (at most 104).
    #[serde(default)]
    pub count: Option<usize>,
    /// The last local date of the series, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date)]
    pub until: Option<String>,
}

/// An agenda item, added at the end.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemRequest {
    /// 1 to 300 characters.
    pub title: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// Who presents it: an id or email.
    #[serde(default)]
    pub presenter: Option<MemberRef>,
    /// The item's time box in minutes, 1 to 1440.
    #[serde(default)]
    pub minutes: Option<i64>,
    /// A proposal discussed (or decided) under this item: its quorum shows on the meeting.
    #[serde(default)]
    pub proposal_id: Option<i64>,
}

/// An item a member suggests; it waits for the record keeper to accept it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionRequest {
    pub title: String,
    #[serde(default)]
    pub notes: Option<String>,
}

/// An item's notes, replacing the old ones.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotesRequest {
    /// Up to 100000 characters; empty clears them.
    pub notes: String,
}

/// The agenda's new order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaOrderRequest {
    /// Every item id of the meeting exactly once, first item first.
    pub order: Vec<i64>,
}

/// A member's attendance.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequest {
    /// `present`, `remote`, `absent` or `excused`; remote counts as present.
    #[serde(rename = "as")]
    #[schema(value_type = AttendanceName)]
    pub attendance: String,
}

/// Who takes a role.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingRoleRequest {
    /// An id or email.
    pub member: MemberRef,
}

/// An action agreed at the meeting.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingActionRequest {
    /// 1 to 300 characters.
    pub title: String,
    /// Who does it: an id or email.
    pub owner: MemberRef,
    #[schema(format = Date, example = "2027-04-01")]
    pub due: String,
    /// The agenda item it came from (an item of this meeting).
    #[serde(default)]
    pub item: Option<i64>,
}

/// A correction to approved minutes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErratumRequest {
    /// 1 to 10000 characters.
    pub text: String,
}

/// A proposal to approve the minutes: decided at a later meeting by a show of hands, or by a
/// vote.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesProposalRequest {
    /// The decision class.
    pub class: String,
    /// The (later) meeting that decides it by a show of hands.
    #[serde(default)]
    pub at_meeting: Option<i64>,
    /// When voting closes, RFC 3339 (default: a week from now).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
}

/// Which meetings.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingsQuery {
    /// Meetings starting at or after this instant (RFC 3339).
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Meetings starting before this instant (RFC 3339).
    #[param(format = DateTime)]
    pub to: Option<String>,
}

/// Whose actions.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionsQuery {
    /// An id or email; default: everyone's.
    pub owner: Option<String>,
}

/// Whose calendar.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// An id or email: only the deadlines of proposals they may vote on. Default: all.
    pub member: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Handlers: meetings and the agenda.

/// Meetings starting in `[from, to)` (either bound may be left out), soonest first.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", security(("cookie" = []), ("bearer" = [])), params(MeetingsQuery),
    responses((status = 200, description = "The meetings", body = Vec<MeetingSummary>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 422, description = "A bad `from` or `to`", body = ErrorBody)))]
pub(super) async fn list_meetings(State(state): State<AppState>, auth: Auth, Params(q): Params<MeetingsQuery>) -> Result<Json<Vec<MeetingSummary>>, ApiError> {
    let from = opt_instant("from", q.from)?;
    let to = opt_instant("to", q.to)?;
    Ok(Json(state.app.meetings(&auth.actor, from, to).await?.into_iter().map(MeetingSummary::from).collect()))
}

/// Schedules a meeting, or a series at the same local time (secretary or admin).
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", security(("cookie" = []), ("bearer" = [])), request_body = MeetingRequest,
    responses((status = 201, description = "Scheduled: the (first) meeting and the ids of all", body = ScheduledMeetings),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field (`title`, `at`, `kind`, `minutes_long`, `place`, `link`, `repeat`, `until`)", body = ErrorBody)))]
pub(super) async fn schedule_meeting(State(state): State<AppState>, auth: Auth, Body(req): Body<MeetingRequest>) -> Result<Response, ApiError> {
    let starts_at = instant("at", &req.at)?;
    let repeat = non_empty(req.repeat).map(|r| Repeat::parse(&r).map_err(|m| invalid("repeat", m))).transpose()?;
    let until = non_empty(req.until).map(|u| coop_core::time::parse_date(&u).map_err(|m| invalid("until", m))).transpose()?;
    let input = MeetingInput {
        title: req.title,
        kind: non_empty(req.kind).unwrap_or_else(|| "general".into()),
        starts_at,
        minutes_long: req.minutes_long.unwrap_or(90),
        place: req.place.unwrap_or_default(),
        link: req.link.unwrap_or_default(),
        repeat,
        count: req.count,
        until,
    };
    let ids = state.app.schedule_meeting(&auth.actor, input).await?;
    let meeting = state.app.meeting(&auth.actor, ids[0]).await?.into();
    Ok((StatusCode::CREATED, Json(ScheduledMeetings { meeting, meetings: ids })).into_response())
}

/// One meeting: the keys of `coop meeting show --json` and the rest of the record.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "The meeting", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn get_meeting(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(state.app.meeting(&auth.actor, id).await?.into()))
}

/// The meeting as it now is, after a write.
async fn meeting_now(state: &AppState, auth: &Auth, id: i64) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(state.app.meeting(&auth.actor, id).await?.into()))
}

/// Adds an item at the end of the agenda (secretary or admin).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/items", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")), request_body = AgendaItemRequest,
    responses((status = 201, description = "Added", body = AgendaItemView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "The minutes are approved and sealed", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field (`title`, `notes`, `presenter`, `minutes`, `proposal_id`)", body = ErrorBody)))]
pub(super) async fn add_item(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<AgendaItemRequest>) -> Result<Response, ApiError> {
    let presenter_id = match req.presenter {
        Some(p) => Some(member_in_body(&state, &auth, "presenter", p).await?),
        None => None,
    };
    let input = ItemInput { title: req.title, notes: req.notes.unwrap_or_default(), presenter_id, minutes_box: req.minutes, proposal_id: req.proposal_id };
    let item = state.app.add_item(&auth.actor, id, input).await.map_err(|e| rename(e, &[("proposal", "proposal_id")]))?;
    created_item(&state, &auth, id, item).await
}

/// 201 with the item just made, read back with the meeting.
async fn created_item(state: &AppState, auth: &Auth, meeting_id: i64, item: i64) -> Result<Response, ApiError> {
    let view = state.app.meeting(&auth.actor, meeting_id).await?;
    let item = view.items.into_iter().find(|i| i.id == item).ok_or_else(|| AppError::NotFound(format!("agenda item {item}")))?;
    Ok((StatusCode::CREATED, Json(AgendaItemView::from(item))).into_response())
}

/// Suggests an item (any current participant); it waits, `state` `suggested`, until the
/// record keeper accepts it.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/suggestions", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")), request_body = SuggestionRequest,
    responses((status = 201, description = "Suggested", body = AgendaItemView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "The minutes are approved and sealed", body = ErrorBody),
              (status = 422, description = "A bad `title` or `notes`", body = ErrorBody)))]
pub(super) async fn suggest_item(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<SuggestionRequest>) -> Result<Response, ApiError> {
    let item = state.app.suggest_item(&auth.actor, id, &req.title, req.notes.as_deref().unwrap_or("")).await?;
    created_item(&state, &auth, id, item).await
}

/// The meeting if `{item}` is one of its items; a missing resource otherwise.
async fn meeting_item(state: &AppState, auth: &Auth, path: &PathParams) -> Result<(i64, i64), ApiError> {
    let id = path.id("id")?;
    let item = path.id("item")?;
    let view = state.app.meeting(&auth.actor, id).await?;
    if !view.items.iter().any(|i| i.id == item) {
        return Err(ApiError(AppError::NotFound(format!("item {item} of meeting {id}"))));
    }
    Ok((id, item))
}

/// Puts a suggested item on the agenda (secretary or admin).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/items/{item}/accept", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id"), ("item" = i64, Path, description = "The item's id")),
    responses((status = 200, description = "On the agenda; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting, or no such item in it", body = ErrorBody),
              (status = 409, description = "Already on the agenda, or the minutes are sealed", body = ErrorBody),
              (status = 422, description = "A bad `id` or `item`", body = ErrorBody)))]
pub(super) async fn accept_item(State(state): State<AppState>, auth: Auth, path: PathParams) -> Result<Json<MeetingView>, ApiError> {
    let (id, item) = meeting_item(&state, &auth, &path).await?;
    state.app.accept_item(&auth.actor, item).await?;
    meeting_now(&state, &auth, id).await
}

/// Writes an item's notes, replacing them: the secretary, an admin, or the meeting's note-taker.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/items/{item}/notes", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id"), ("item" = i64, Path, description = "The item's id")), request_body = NotesRequest,
    responses((status = 200, description = "Saved; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Neither the note-taker, the secretary nor an admin", body = ErrorBody),
              (status = 404, description = "No such meeting, or no such item in it", body = ErrorBody),
              (status = 409, description = "The minutes are approved and sealed", body = ErrorBody),
              (status = 422, description = "`notes` too long, or a bad `id` or `item`", body = ErrorBody)))]
pub(super) async fn set_notes(State(state): State<AppState>, auth: Auth, path: PathParams, Body(req): Body<NotesRequest>) -> Result<Json<MeetingView>, ApiError> {
    let (id, item) = meeting_item(&state, &auth, &path).await?;
    state.app.set_notes(&auth.actor, item, &req.notes).await?;
    meeting_now(&state, &auth, id).await
}

/// Puts the agenda in the order given (secretary or admin).
#[utoipa::path(put, path = "/api/v1/meetings/{id}/agenda", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")), request_body = AgendaOrderRequest,
    responses((status = 200, description = "Reordered; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "The minutes are approved and sealed", body = ErrorBody),
              (status = 422, description = "`order` does not name every item of the meeting exactly once", body = ErrorBody)))]
pub(super) async fn reorder_agenda(
    State(state): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(req): Body<AgendaOrderRequest>,
) -> Result<Json<MeetingView>, ApiError> {
    state.app.reorder_agenda(&auth.actor, id, &req.order).await?;
    meeting_now(&state, &auth, id).await
}

/// Publishes the agenda to members, again after changes (secretary or admin).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/publish", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "Published; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "The agenda has no items, or the minutes are sealed", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn publish_agenda(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<MeetingView>, ApiError> {
    state.app.publish_agenda(&auth.actor, id).await?;
    meeting_now(&state, &auth, id).await
}

// ---------------------------------------------------------------------------------------------
// Handlers: attendance and roles.

/// Records a member's attendance (secretary or admin); a later record replaces the earlier.
/// The answer carries the counts and the quorum of every decision at the meeting.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance/{member}", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id"), ("member" = String, Path, description = "The member's id or email")),
    request_body = AttendanceRequest,
    responses((status = 200, description = "Recorded; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting or member", body = ErrorBody),
              (status = 409, description = "The minutes are approved and sealed", body = ErrorBody),
              (status = 422, description = "An unknown attendance (`as`), or a bad `id` or `member`", body = ErrorBody)))]
pub(super) async fn attend(
    State(state): State<AppState>,
    auth: Auth,
    path: PathParams,
    Body(req): Body<AttendanceRequest>,
) -> Result<Json<MeetingView>, ApiError> {
    let id = path.id("id")?;
    let member = member_in_path(&state, &auth, &path.text("member")).await?;
    let attendance = req.attendance.trim().to_ascii_lowercase();
    state.app.attend(&auth.actor, id, member, &attendance).await?;
    meeting_now(&state, &auth, id).await
}

/// Gives a role at the meeting to a member (secretary or admin): `facilitator`,
/// `note_taker` or `timekeeper`.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/roles/{role}", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id"), ("role" = MeetingRoleName, Path, description = "The role")),
    request_body = MeetingRoleRequest,
    responses((status = 200, description = "Given; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "The minutes are approved and sealed", body = ErrorBody),
              (status = 422, description = "An unknown `role` or `member`", body = ErrorBody)))]
pub(super) async fn set_role(
    State(state): State<AppState>,
    auth: Auth,
    path: PathParams,
    Body(req): Body<MeetingRoleRequest>,
) -> Result<Json<MeetingView>, ApiError> {
    let id = path.id("id")?;
    let member = member_in_body(&state, &auth, "member", req.member).await?;
    state.app.set_role(&auth.actor, id, &path.text("role"), member).await?;
    meeting_now(&state, &auth, id).await
}

/// Who should take each role: among members, the one who held it least recently.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/rotation", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "One suggestion per role (none when nobody can take it)", body = Vec<RoleSuggestionView>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn role_rotation(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<Vec<RoleSuggestionView>>, ApiError> {
    Ok(Json(state.app.suggest_roles(&auth.actor, id).await?.into_iter().map(RoleSuggestionView::from).collect()))
}

// ---------------------------------------------------------------------------------------------
// Handlers: actions.

/// Records an action agreed at the meeting, with an owner and a due date (secretary or admin).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/actions", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")), request_body = MeetingActionRequest,
    responses((status = 201, description = "Recorded", body = MeetingActionView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "The minutes are approved and sealed", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field (`title`, `owner`, `due`, `item`)", body = ErrorBody)))]
pub(super) async fn add_action(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<MeetingActionRequest>) -> Result<Response, ApiError> {
    let owner = member_in_body(&state, &auth, "owner", req.owner).await?;
    let due = coop_core::time::parse_date(&req.due).map_err(|m| invalid("due", m))?;
    let action = state.app.add_action(&auth.actor, id, &req.title, owner, due, req.item).await?;
    let view = state.app.meeting(&auth.actor, id).await?;
    let a = view.actions.into_iter().find(|a| a.id == action).ok_or_else(|| AppError::NotFound(format!("action {action}")))?;
    Ok((StatusCode::CREATED, Json(MeetingActionView::from(a))).into_response())
}

/// Open actions across meetings, soonest due first (only `owner`'s when given); overdue
/// ones are flagged.
#[utoipa::path(get, path = "/api/v1/actions", tag = "meetings", security(("cookie" = []), ("bearer" = [])), params(ActionsQuery),
    responses((status = 200, description = "The open actions", body = Vec<MeetingActionView>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 422, description = "An unknown `owner`", body = ErrorBody)))]
pub(super) async fn open_actions(State(state): State<AppState>, auth: Auth, Params(q): Params<ActionsQuery>) -> Result<Json<Vec<MeetingActionView>>, ApiError> {
    let owner = member_in_query(&state, &auth, "owner", q.owner).await?;
    Ok(Json(state.app.open_actions(&auth.actor, owner).await?.into_iter().map(MeetingActionView::from).collect()))
}

/// Marks an action done: its owner, the secretary or an admin (also after the minutes are sealed).
#[utoipa::path(post, path = "/api/v1/actions/{id}/done", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The action's id")),
    responses((status = 204, description = "Done"),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Neither the owner, the secretary nor an admin", body = ErrorBody),
              (status = 404, description = "No such action", body = ErrorBody),
              (status = 409, description = "Already done", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn action_done(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<StatusCode, ApiError> {
    state.app.set_action_done(&auth.actor, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens a done action again: its owner, the secretary or an admin.
#[utoipa::path(post, path = "/api/v1/actions/{id}/reopen", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The action's id")),
    responses((status = 204, description = "Open again"),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Neither the owner, the secretary nor an admin", body = ErrorBody),
              (status = 404, description = "No such action", body = ErrorBody),
              (status = 409, description = "Not done", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn action_reopen(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<StatusCode, ApiError> {
    state.app.set_action_done(&auth.actor, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// Handlers: minutes.

/// Sends the draft minutes round for reading (secretary or admin).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes/circulate", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "Circulated; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "Already circulated, or approved and sealed", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn circulate_minutes(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<MeetingView>, ApiError> {
    state.app.circulate_minutes(&auth.actor, id).await?;
    meeting_now(&state, &auth, id).await
}

/// Takes circulated minutes back to draft for corrections (secretary or admin).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes/reopen", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "Back to draft; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "Already a draft, or approved and sealed", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn reopen_minutes(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<MeetingView>, ApiError> {
    state.app.reopen_minutes(&auth.actor, id).await?;
    meeting_now(&state, &auth, id).await
}

/// Approves the minutes as the record keeper (secretary or admin): they are sealed in the
/// journal (`sealed_hash`), and afterwards change only by errata.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes/approve", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "Approved and sealed; the meeting as now", body = MeetingView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "Already approved, or proposals at the meeting are still open", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn approve_minutes(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(state.app.approve_minutes(&auth.actor, id).await?.into()))
}

/// Opens a proposal to approve the minutes (secretary or admin), decided at a later meeting by
/// a show of hands (`at_meeting`) or by a vote; the minutes are sealed when it passes.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes/proposal", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")), request_body = MinutesProposalRequest,
    responses((status = 201, description = "The proposal", body = ProposalView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting, or no such `class`", body = ErrorBody),
              (status = 409, description = "The minutes are already approved", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field (`class`, `at_meeting`, `closes_at`)", body = ErrorBody)))]
pub(super) async fn propose_approval(
    State(state): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(req): Body<MinutesProposalRequest>,
) -> Result<Response, ApiError> {
    let closes_at = opt_instant("closes_at", req.closes_at)?;
    let view = state
        .app
        .propose_minutes_approval(&auth.actor, id, &req.class, req.at_meeting, closes_at)
        .await
        .map_err(|e| rename(e, &[("meeting", "at_meeting"), ("meeting_id", "at_meeting"), ("closes", "closes_at")]))?;
    Ok((StatusCode::CREATED, Json(ProposalView::from(view))).into_response())
}

/// Appends an erratum to approved minutes (secretary or admin); sealed on its own.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/errata", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")), request_body = ErratumRequest,
    responses((status = 201, description = "Appended", body = ErratumView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 409, description = "The minutes are not approved yet: correct them directly", body = ErrorBody),
              (status = 422, description = "A bad `text`", body = ErrorBody)))]
pub(super) async fn add_erratum(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<ErratumRequest>) -> Result<Response, ApiError> {
    let erratum = state.app.add_erratum(&auth.actor, id, &req.text).await?;
    let view = state.app.meeting(&auth.actor, id).await?;
    let e = view.errata.into_iter().find(|e| e.id == erratum).ok_or_else(|| AppError::NotFound(format!("erratum {erratum}")))?;
    Ok((StatusCode::CREATED, Json(ErratumView::from(e))).into_response())
}

// ---------------------------------------------------------------------------------------------
// Handlers: exports.

/// A PDF file's bytes (`application/pdf`), as the document describes them.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PdfFile(Vec<u8>);

async fn export(state: &AppState, auth: &Auth, id: i64, format: ExportFormat, name: &str) -> Result<Response, ApiError> {
    let bytes = state.app.export_meeting(&auth.actor, id, format).await?;
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, format!("inline; filename=\"meeting-{id}-{name}\""))], bytes)
        .into_response())
}

/// The minutes as Markdown (`text/markdown`), draft or approved.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/minutes.md", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "The minutes", content_type = "text/markdown", body = String),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn minutes_md(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Response, ApiError> {
    export(&state, &auth, id, ExportFormat::Markdown, "minutes.md").await
}

/// The minutes as a printable HTML page (`text/html`).
#[utoipa::path(get, path = "/api/v1/meetings/{id}/minutes.html", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "The minutes", content_type = "text/html", body = String),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn minutes_html(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Response, ApiError> {
    export(&state, &auth, id, ExportFormat::Html, "minutes.html").await
}

/// The minutes as a PDF (`application/pdf`), draft or approved: the same document as the
/// page's `/meetings/{id}/export.pdf`.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/minutes.pdf", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "The minutes", content_type = "application/pdf", body = PdfFile),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn minutes_pdf(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Response, ApiError> {
    export(&state, &auth, id, ExportFormat::Pdf, "minutes.pdf").await
}

/// The meeting as an iCalendar event (`text/calendar`).
#[utoipa::path(get, path = "/api/v1/meetings/{id}/event.ics", tag = "meetings", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The meeting's id")),
    responses((status = 200, description = "The event", content_type = "text/calendar", body = String),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such meeting", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn meeting_ics(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Response, ApiError> {
    export(&state, &auth, id, ExportFormat::Ical, "event.ics").await
}

/// The co-op's calendar (`text/calendar`): meetings from a year ago on and the deadlines of
/// open proposals (with `member`, only those they may vote on).
#[utoipa::path(get, path = "/api/v1/calendar.ics", tag = "meetings", security(("cookie" = []), ("bearer" = [])), params(CalendarQuery),
    responses((status = 200, description = "The calendar", content_type = "text/calendar", body = String),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 422, description = "An unknown `member`", body = ErrorBody)))]
pub(super) async fn calendar(State(state): State<AppState>, auth: Auth, Params(q): Params<CalendarQuery>) -> Result<Response, ApiError> {
    let member = member_in_query(&state, &auth, "member", q.member).await?;
    let text = state.app.calendar(&auth.actor, member).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], text).into_response())
}
