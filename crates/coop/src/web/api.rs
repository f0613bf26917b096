//! The JSON API under `/api/v1`.
//!
//! Every handler does three things only: read the request (parsing dates, states and roles
//! at the edge, so that bad input is answered 422 naming its field), call one `coop-app` use
//! case with the caller's [`Auth`] actor, and shape the answer. Who may do what is decided by
//! the use case, never here; this module only insists that someone is signed in.
//!
//! Errors are always JSON `{"error","field"}` (see [`super::error`]): unreadable bodies, wrong
//! types, unknown fields, non-numeric ids, unknown routes and wrong methods included, so a
//! client never has to parse axum's plain-text rejections.
//!
//! Bodies must be sent as `Content-Type: application/json`. Besides being honest, that keeps
//! the cookie-authenticated API out of reach of cross-site forms: a browser only sends JSON
//! cross-origin after a CORS preflight, which this server never approves.
//!
//! The OpenAPI document at `/api/v1/openapi.json` is generated from this file: every handler
//! carries `#[utoipa::path]`, and the response bodies are the API's own DTOs below (mirrors
//! of the use cases' types, converted with exhaustive `From` impls so that they cannot drift
//! silently).

use super::auth::{self, Auth, ClientAddr};
use super::error::{ApiError, ErrorBody};
use super::AppState;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use coop_app::members::{self as app_members, MemberEdit, MemberFilter, NewMember, StateInput};
use coop_app::{accounts, AppError, JournalFilter};
use coop_core::member::{MemberState, Role};
use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

mod decisions;
mod elections;
mod meetings;
mod money;
mod work;

/// Where [`routes`] is mounted; the OpenAPI paths below spell it out.
pub const PREFIX: &str = "/api/v1";

/// Journal entries returned when the request names no `limit`.
pub const DEFAULT_JOURNAL_LIMIT: i64 = 100;
/// The most journal entries one request may ask for.
pub const MAX_JOURNAL_LIMIT: i64 = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).get(current_session).delete(logout))
        .route("/tokens", post(create_token).get(list_tokens))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .route("/members", get(list_members).post(add_member))
        .route("/members/{id}", get(get_member).patch(update_member))
        .route("/members/{id}/state", post(change_state))
        .route("/members/{id}/roles", put(set_roles))
        .route("/journal", get(journal))
        .route("/journal/head", get(journal_head))
        .route("/journal/verify", get(journal_verify))
        .route("/settings", get(settings))
        .merge(decisions::routes())
        .merge(elections::routes())
        .merge(money::routes())
        .merge(work::routes())
        .merge(meetings::routes())
        .route("/openapi.json", get(openapi_json))
        // Answers carry personal data and secrets: no cache may keep them.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
}

// ---------------------------------------------------------------------------------------------
// Reading requests: JSON bodies, query strings and path ids, all failing as JSON.

/// A JSON error answer with any status.
fn json_error(status: StatusCode, message: impl Into<String>, field: Option<&str>) -> Response {
    (status, Json(ErrorBody { error: message.into(), field: field.map(str::to_string) })).into_response()
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError(AppError::invalid(field, message))
}

/// A JSON request body. Like `axum::Json`, but every rejection is a JSON error: 415 without a
/// JSON content type, 413 when too large, 422 for broken JSON, wrong types, missing or
/// unknown fields (naming the field when there is one).
pub struct Body<T>(pub T);

fn is_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match mime.split_once('/') {
        Some(("application", sub)) => sub == "json" || sub.ends_with("+json"),
        _ => false,
    }
}

impl<T, S> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json_content_type(req.headers()) {
            return Err(json_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as JSON with the header `Content-Type: application/json`",
                None,
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("the body is larger than {} bytes", super::MAX_BODY_BYTES)
            } else {
                format!("the body could not be read: {}", rejection.body_text())
            };
            json_error(status, message, None)
        })?;
        match Json::<T>::from_bytes(&bytes) {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(body_rejection(&rejection)),
        }
    }
}

/// Turns axum's JSON rejection into a 422 naming the field where serde can tell it.
fn body_rejection(rejection: &JsonRejection) -> Response {
    match rejection {
        JsonRejection::JsonDataError(_) => {
            // axum reads bodies with serde_path_to_error: "<prefix>: <path>: <serde message>".
            let text = rejection.body_text();
            let detail = text.split_once(": ").map(|(_, rest)| rest).unwrap_or(&text).to_string();
            let (field, message) = data_error_field(&detail);
            crate::web::error::unreadable(format!("the body does not match what this endpoint takes: {message}"), field.as_deref())
        }
        JsonRejection::JsonSyntaxError(_) => {
            let text = rejection.body_text();
            let detail = text.split_once(": ").map(|(_, rest)| rest).unwrap_or(&text);
            crate::web::error::unreadable(format!("the body is not valid JSON: {detail}"), None)
        }
        other => json_error(other.status(), other.body_text(), None),
    }
}

/// Splits a serde_path_to_error message (`"roles[0]: invalid type: ..."`, `"missing field
/// `email`"`) into the field it names and the message.
fn data_error_field(detail: &str) -> (Option<String>, String) {
    let backticked = |s: &str| s.split('`').nth(1).map(str::to_string);
    let (path, message) = match detail.split_once(": ") {
        // A path is a dotted identifier list, possibly with [n] indexes; a message is not.
        Some((p, m)) if !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || "_.[]?".contains(c)) => (Some(p), m),
        _ => (None, detail),
    };
    let path = path.filter(|p| *p != "." && *p != "?").map(|p| p.trim_end_matches(".?").to_string());
    let named = if message.starts_with("unknown field") || message.starts_with("missing field") { backticked(message) } else { None };
    let field = match (path, named) {
        (Some(p), Some(n)) if !p.ends_with(&n) => Some(format!("{p}.{n}")),
        (Some(p), _) => Some(p),
        (None, n) => n,
    };
    // serde's position ("at line 1 column 12") helps nobody who reads the field name.
    let message = message.split(" at line ").next().unwrap_or(message).to_string();
    (field, message)
}

/// Query-string parameters, with a JSON 422 when they do not fit.
pub struct Params<T>(pub T);

impl<T, S> FromRequestParts<S> for Params<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(v)| Params(v))
            .map_err(|e| crate::web::error::unreadable(format!("the query string does not fit: {}", e.body_text()), None))
    }
}

/// The numeric `{id}` in a path; anything else is a JSON 422 naming `id`.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| json_error(StatusCode::NOT_FOUND, e.body_text(), None))?;
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(Id)
            .ok_or_else(|| crate::web::error::unreadable(format!("{raw:?} is not an id (ids are positive whole numbers)"), Some("id")))
    }
}

/// The named parameters of a path (`{member_id}`, `{year}`, `{item}`...), read as text and
/// parsed by the handler, so that a bad one is a JSON 422 naming it.
pub struct PathParams(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for PathParams {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(map) = axum::extract::Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| json_error(StatusCode::NOT_FOUND, e.body_text(), None))?;
        Ok(PathParams(map))
    }
}

impl PathParams {
    /// The parameter's text (trimmed); routes always carry the names their handlers ask for.
    pub(super) fn text(&self, name: &str) -> String {
        self.0.get(name).map(|v| v.trim().to_string()).unwrap_or_default()
    }

    /// A positive id.
    pub(super) fn id(&self, name: &str) -> Result<i64, ApiError> {
        let raw = self.text(name);
        raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| invalid(name, format!("{raw:?} is not an id (ids are positive whole numbers)")))
    }
}

/// Renames the fields a use case names after its CLI flags (`--from`, `--closes`, the `file`
/// of an import) to the API's field names, so that a 422 names a field that was sent.
pub(super) fn rename(e: AppError, renames: &[(&str, &str)]) -> ApiError {
    match e {
        AppError::Invalid { field, message } => {
            let field = renames.iter().find(|(from, _)| *from == field).map(|(_, to)| to.to_string()).unwrap_or(field);
            ApiError(AppError::Invalid { field, message })
        }
        other => ApiError(other),
    }
}

pub(super) fn date(field: &str, value: &str) -> Result<Date, ApiError> {
    coop_core::time::parse_date(value.trim()).map_err(|e| invalid(field, e))
}

async fn not_found(OriginalUri(uri): OriginalUri) -> Response {
    json_error(StatusCode::NOT_FOUND, format!("there is no API endpoint at {}; the list is at {PREFIX}/openapi.json", uri.path()), None)
}

async fn method_not_allowed(OriginalUri(uri): OriginalUri, method: axum::http::Method) -> Response {
    json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} does not answer {method}; the list is at {PREFIX}/openapi.json", uri.path()),
        None,
    )
}

fn opt_date(field: &str, value: Option<&str>) -> Result<Option<Date>, ApiError> {
    value.map(|v| coop_core::time::parse_date(v).map_err(|e| invalid(field, e))).transpose()
}

fn parse_state(field: &str, value: &str) -> Result<MemberState, ApiError> {
    MemberState::parse(value).map_err(|e| invalid(field, e.to_string()))
}

fn parse_roles(field: &str, values: &[String]) -> Result<Vec<Role>, ApiError> {
    let mut roles = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let role = Role::parse(v).map_err(|e| invalid(&format!("{field}[{i}]"), e))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

/// `Some(None)` for an explicit `null`, `None` (through `#[serde(default)]`) when absent.
fn explicit_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

// ---------------------------------------------------------------------------------------------
// The API's own types: what the OpenAPI document describes is exactly what is serialized.

/// A membership state.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StateName {
    Applicant,
    Candidate,
    Member,
    OnLeave,
    Departed,
}

impl From<MemberState> for StateName {
    fn from(s: MemberState) -> Self {
        match s {
            MemberState::Applicant => StateName::Applicant,
            MemberState::Candidate => StateName::Candidate,
            MemberState::Member => StateName::Member,
            MemberState::OnLeave => StateName::OnLeave,
            MemberState::Departed => StateName::Departed,
        }
    }
}

/// A role, separate from the membership state.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    Admin,
    Secretary,
}

impl From<Role> for RoleName {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => RoleName::Admin,
            Role::Secretary => RoleName::Secretary,
        }
    }
}

/// A member as lists show them (the contract's `{"id","name","email","state","since","roles"}`
/// and a little more).
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// The state today; null only for someone whose first state is dated in the future.
    pub state: Option<StateName>,
    /// The first day of that state, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub since: Option<String>,
    pub roles: Vec<RoleName>,
    /// For candidates: the planned end of the candidacy, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub planned_end: Option<String>,
    /// `en` or `ar`; null means the co-op's default.
    pub language: Option<String>,
}

impl From<app_members::MemberSummary> for MemberSummary {
    fn from(m: app_members::MemberSummary) -> Self {
        let app_members::MemberSummary { id, name, email, state, since, roles, planned_end, language } = m;
        MemberSummary {
            id,
            name,
            email,
            state: state.map(StateName::from),
            since,
            roles: roles.into_iter().map(RoleName::from).collect(),
            planned_end,
            language,
        }
    }
}

/// One recorded change of state; each is sealed in the journal as a legal record.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryItem {
    pub id: i64,
    pub state: StateName,
    /// `YYYY-MM-DD`
    #[schema(format = Date)]
    pub since: String,
    #[schema(format = Date)]
    pub planned_end: Option<String>,
    pub note: String,
    /// When it was recorded (RFC 3339 UTC).
    #[schema(format = DateTime)]
    pub recorded_at: String,
    /// The SHA-256 content hash sealed into the journal (64 hex digits).
    pub sealed_hash: Option<String>,
}

impl From<app_members::HistoryItem> for HistoryItem {
    fn from(h: app_members::HistoryItem) -> Self {
        let app_members::HistoryItem { id, state, since, planned_end, note, recorded_at, sealed_hash } = h;
        HistoryItem { id, state: state.into(), since, planned_end, note, recorded_at, sealed_hash }
    }
}

/// A member with their whole history.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDetail {
    #[serde(flatten)]
    pub summary: MemberSummary,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Oldest first.
    pub history: Vec<HistoryItem>,
    /// The candidacy ends within 30 days or is overdue.
    pub candidacy_due: bool,
    pub has_password: bool,
}

impl From<app_members::MemberDetail> for MemberDetail {
    fn from(d: app_members::MemberDetail) -> Self {
        let app_members::MemberDetail { summary, created_at, history, candidacy_due, has_password } = d;
        MemberDetail {
            summary: summary.into(),
            created_at,
            history: history.into_iter().map(HistoryItem::from).collect(),
            candidacy_due,
            has_password,
        }
    }
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub member: MemberSummary,
    /// When the session ends (RFC 3339 UTC), whatever happens.
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// The signed-in caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentSession {
    pub member: MemberSummary,
    /// How the caller proved who they are.
    #[schema(example = "cookie")]
    pub via: String,
}

/// An API token's secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
}

/// An API token as listed (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub label: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
    pub revoked: bool,
}

impl From<accounts::TokenInfo> for TokenInfo {
    fn from(t: accounts::TokenInfo) -> Self {
        let accounts::TokenInfo { id, label, created_at, expires_at, revoked } = t;
        TokenInfo { id, label, created_at, expires_at, revoked }
    }
}

/// One journal entry: who did what to whom, chained to the one before by hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalEntry {
    pub seq: i64,
    #[schema(format = DateTime)]
    pub at: String,
    /// `cli` or `member:<id>`.
    pub actor: String,
    pub action: String,
    pub subject: String,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

impl From<coop_app::JournalEntry> for JournalEntry {
    fn from(e: coop_app::JournalEntry) -> Self {
        let coop_app::JournalEntry { seq, at, actor, action, subject, payload, prev_hash, hash } = e;
        JournalEntry { seq, at, actor, action, subject, payload, prev_hash, hash }
    }
}

/// The newest journal entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalHead {
    pub seq: i64,
    pub hash: String,
}

/// The outcome of recomputing the journal's chain and every seal.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyReport {
    /// True when every entry and every seal matches.
    pub ok: bool,
    pub entries: i64,
    pub seals: i64,
    pub head: String,
    /// The first problem found, naming the entry or seal.
    pub fault: Option<String>,
}

impl From<coop_app::VerifyReport> for VerifyReport {
    fn from(r: coop_app::VerifyReport) -> Self {
        let ok = r.ok();
        let coop_app::VerifyReport { entries, seals, head, fault } = r;
        VerifyReport { ok, entries, seals, head, fault }
    }
}

/// The co-op's settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoopSettings {
    pub name: String,
    /// ISO 4217 code.
    pub currency: String,
    /// IANA time zone.
    pub timezone: String,
    /// `MM-DD`
    pub fiscal_year_start: String,
    /// `en` or `ar`
    pub language: String,
    pub candidacy_months: i32,
}

impl From<coop_core::CoopSettings> for CoopSettings {
    fn from(s: coop_core::CoopSettings) -> Self {
        let coop_core::CoopSettings { name, currency, timezone, fiscal_year_start, language, candidacy_months } = s;
        CoopSettings { name, currency, timezone, fiscal_year_start, language, candidacy_months }
    }
}

/// Sign-in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A new API token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for (at most 100 characters; default `api`).
    #[serde(default)]
    pub label: Option<String>,
}

/// A person to add, with their first state.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberRequest {
    pub name: String,
    pub email: String,
    /// applicant (default), candidate or member.
    #[serde(default)]
    #[schema(value_type = Option<StateName>)]
    pub state: Option<String>,
    /// The first day of that state, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    #[schema(format = Date)]
    pub since: Option<String>,
    /// For a candidate: the planned end of the candidacy (default: the co-op's candidacy length).
    #[serde(default)]
    #[schema(format = Date)]
    pub planned_end: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<RoleName>>)]
    pub roles: Option<Vec<String>>,
    /// At least 10 characters; without one, the member signs in after a reset link.
    #[serde(default)]
    pub password: Option<String>,
    /// `en` or `ar`.
    #[serde(default)]
    pub language: Option<String>,
}

/// A profile edit: absent fields stay as they are; `"language": null` clears the language.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>)]
    pub language: Option<Option<String>>,
}

/// A change of state.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateRequest {
    #[schema(value_type = StateName)]
    pub state: String,
    /// The day it takes effect, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    #[schema(format = Date)]
    pub on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// For a candidacy: its planned end.
    #[serde(default)]
    #[schema(format = Date)]
    pub planned_end: Option<String>,
}

/// The complete new set of roles.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesRequest {
    #[schema(value_type = Vec<RoleName>)]
    pub roles: Vec<String>,
}

/// Filters for the member list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberListQuery {
    /// Part of a name or email.
    pub search: Option<String>,
    /// Only members in this state today.
    #[param(value_type = Option<StateName>)]
    pub state: Option<String>,
}

/// Filters for the journal, newest first.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Actions starting with this, e.g. `member.`.
    pub action: Option<String>,
    /// Exactly this actor, e.g. `member:1` or `cli`.
    pub actor: Option<String>,
    /// Exactly this subject, e.g. `member:3`.
    pub subject: Option<String>,
    /// Only entries with a sequence number below this (paging backwards).
    #[param(value_type = Option<i64>)]
    pub before: Option<String>,
    /// How many entries, 1 to 1000 (default 100).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Handlers.

/// Whether the server and its database answer. (Served at the root, outside `/api/v1`.)
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, description = "The server and its database answer", body = String, content_type = "text/plain"),
              (status = 503, description = "The database does not answer", body = String, content_type = "text/plain")))]
#[allow(dead_code)]
fn healthz_doc() {}

/// Signs in with email and password and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, description = "Signed in; the `coop_session` cookie is set", body = Session),
              (status = 401, description = "Wrong email or password", body = ErrorBody),
              (status = 422, description = "Unreadable body", body = ErrorBody),
              (status = 429, description = "Too many failed sign-ins; see `Retry-After`", body = ErrorBody,
               headers(("Retry-After" = u64, description = "Seconds to wait")))))]
async fn login(State(state): State<AppState>, ClientAddr(address): ClientAddr, Body(req): Body<LoginRequest>) -> Result<Response, ApiError> {
    let session = state.app.login(&req.email, &req.password, &address).await?;
    let now = state.app.clock().now();
    let ttl = (session.expires_at.as_second() - now.as_second()).max(0);
    let (actor, _) = state.app.session(&session.token).await?.ok_or(AppError::Unauthenticated)?;
    let member = state.app.member(&actor, session.member_id).await?.summary.into();
    let cookie = auth::session_cookie(session.token, state.secure_cookies, ttl);
    let body = Session { member, expires_at: coop_core::time::instant_text(session.expires_at) };
    Ok(([(header::SET_COOKIE, cookie.to_string())], Json(body)).into_response())
}

/// The signed-in caller.
#[utoipa::path(get, path = "/api/v1/session", tag = "session", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The caller", body = CurrentSession),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn current_session(State(state): State<AppState>, auth: Auth) -> Result<Json<CurrentSession>, ApiError> {
    let id = auth.actor.member_id().ok_or(AppError::Unauthenticated)?;
    let member = state.app.member(&auth.actor, id).await?.summary.into();
    let via = if auth.session_token.is_some() { "cookie" } else { "bearer" };
    Ok(Json(CurrentSession { member, via: via.to_string() }))
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", security(("cookie" = []), ("bearer" = [])),
    responses((status = 204, description = "Signed out (with a bearer token there is no session to end)"),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn logout(State(state): State<AppState>, auth: Auth) -> Result<Response, ApiError> {
    if let Some(token) = &auth.session_token {
        state.app.logout(token).await?;
    }
    let cookie = auth::clear_session_cookie(state.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie.to_string())]).into_response())
}

/// Creates an API token for the caller; its secret is shown once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", security(("cookie" = []), ("bearer" = [])), request_body = TokenRequest,
    responses((status = 201, description = "The token", body = NewToken),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "Bad input", body = ErrorBody)))]
async fn create_token(State(state): State<AppState>, auth: Auth, Body(req): Body<TokenRequest>) -> Result<Response, ApiError> {
    let token = state.app.create_api_token(&auth.actor, req.label.as_deref().unwrap_or("")).await?;
    Ok((StatusCode::CREATED, Json(NewToken { token })).into_response())
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The tokens", body = Vec<TokenInfo>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list_tokens(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    Ok(Json(state.app.list_api_tokens(&auth.actor).await?.into_iter().map(TokenInfo::from).collect()))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked"),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such token of the caller's", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
async fn revoke_token(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<StatusCode, ApiError> {
    state.app.revoke_api_token(&auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Members with their state today, ordered by name.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", security(("cookie" = []), ("bearer" = [])), params(MemberListQuery),
    responses((status = 200, description = "The members", body = Vec<MemberSummary>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 422, description = "Unknown state", body = ErrorBody)))]
async fn list_members(State(state): State<AppState>, auth: Auth, Params(q): Params<MemberListQuery>) -> Result<Json<Vec<MemberSummary>>, ApiError> {
    let filter = MemberFilter {
        search: non_empty(q.search),
        state: non_empty(q.state).map(|s| parse_state("state", &s)).transpose()?,
    };
    Ok(Json(state.app.list_members(&auth.actor, &filter).await?.into_iter().map(MemberSummary::from).collect()))
}

/// One member with their history.
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The member's id")),
    responses((status = 200, description = "The member", body = MemberDetail),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
async fn get_member(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<MemberDetail>, ApiError> {
    Ok(Json(state.app.member(&auth.actor, id).await?.into()))
}

/// Adds a person with their first state (admins).
#[utoipa::path(post, path = "/api/v1/members", tag = "members", security(("cookie" = []), ("bearer" = [])), request_body = NewMemberRequest,
    responses((status = 201, description = "Added", body = MemberSummary),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The email is taken", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field", body = ErrorBody)))]
async fn add_member(State(state): State<AppState>, auth: Auth, Body(req): Body<NewMemberRequest>) -> Result<Response, ApiError> {
    let new = NewMember {
        name: req.name,
        email: req.email,
        state: req.state.as_deref().map(|s| parse_state("state", s)).transpose()?,
        since: opt_date("since", req.since.as_deref())?,
        planned_end: opt_date("planned_end", req.planned_end.as_deref())?,
        note: req.note.unwrap_or_default(),
        roles: parse_roles("roles", req.roles.as_deref().unwrap_or_default())?,
        password: req.password,
        language: req.language,
    };
    let added = state.app.add_member(&auth.actor, new).await?;
    Ok((StatusCode::CREATED, Json(MemberSummary::from(added))).into_response())
}

/// Changes a member's name, email or language (admins, or the member themselves).
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "members", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The member's id")), request_body = MemberPatch,
    responses((status = 200, description = "The member as now", body = MemberSummary),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Neither admin nor this member", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 409, description = "The email is taken", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field", body = ErrorBody)))]
async fn update_member(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<MemberPatch>) -> Result<Json<MemberSummary>, ApiError> {
    let edit = MemberEdit { name: req.name, email: req.email, language: req.language };
    Ok(Json(state.app.update_member(&auth.actor, id, edit).await?.into()))
}

/// Records a change of state, sealed in the journal (admins).
#[utoipa::path(post, path = "/api/v1/members/{id}/state", tag = "members", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The member's id")), request_body = StateRequest,
    responses((status = 200, description = "The member with the new history", body = MemberDetail),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 422, description = "Bad input or a move the life cycle does not allow", body = ErrorBody)))]
async fn change_state(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<StateRequest>) -> Result<Json<MemberDetail>, ApiError> {
    let input = StateInput {
        state: parse_state("state", &req.state)?,
        on: opt_date("on", req.on.as_deref())?,
        note: req.note.unwrap_or_default(),
        planned_end: opt_date("planned_end", req.planned_end.as_deref())?,
    };
    Ok(Json(state.app.change_state(&auth.actor, id, input).await?.into()))
}

/// Replaces a member's roles (admins). The co-op always keeps one admin.
#[utoipa::path(put, path = "/api/v1/members/{id}/roles", tag = "members", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The member's id")), request_body = RolesRequest,
    responses((status = 200, description = "The member as now", body = MemberSummary),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 409, description = "That would remove the last admin", body = ErrorBody),
              (status = 422, description = "Unknown role", body = ErrorBody)))]
async fn set_roles(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<RolesRequest>) -> Result<Json<MemberSummary>, ApiError> {
    let roles = parse_roles("roles", &req.roles)?;
    Ok(Json(state.app.set_roles(&auth.actor, id, roles).await?.into()))
}

/// Journal entries, newest first.
#[utoipa::path(get, path = "/api/v1/journal", tag = "journal", security(("cookie" = []), ("bearer" = [])), params(JournalQuery),
    responses((status = 200, description = "The entries", body = Vec<JournalEntry>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "Bad `before` or `limit`", body = ErrorBody)))]
async fn journal(State(state): State<AppState>, auth: Auth, Params(q): Params<JournalQuery>) -> Result<Json<Vec<JournalEntry>>, ApiError> {
    let number = |field: &str, v: Option<String>| -> Result<Option<i64>, ApiError> {
        non_empty(v).map(|v| v.parse::<i64>().map_err(|_| invalid(field, format!("{v:?} is not a whole number")))).transpose()
    };
    let before_seq = number("before", q.before)?;
    let limit = number("limit", q.limit)?.unwrap_or(DEFAULT_JOURNAL_LIMIT);
    if !(1..=MAX_JOURNAL_LIMIT).contains(&limit) {
        return Err(invalid("limit", format!("limit is 1 to {MAX_JOURNAL_LIMIT}")));
    }
    let filter = JournalFilter { action_prefix: non_empty(q.action), actor: non_empty(q.actor), subject: non_empty(q.subject), before_seq, limit };
    Ok(Json(state.app.journal_entries(&auth.actor, &filter).await?.into_iter().map(JournalEntry::from).collect()))
}

/// The newest journal entry's sequence number and hash.
#[utoipa::path(get, path = "/api/v1/journal/head", tag = "journal", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The head", body = JournalHead),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn journal_head(State(state): State<AppState>, _auth: Auth) -> Result<Json<JournalHead>, ApiError> {
    let (seq, hash) = state.app.journal_head().await?;
    Ok(Json(JournalHead { seq, hash }))
}

/// Recomputes the journal's hash chain and every seal.
#[utoipa::path(get, path = "/api/v1/journal/verify", tag = "journal", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The report; `ok` false names the first fault", body = VerifyReport),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn journal_verify(State(state): State<AppState>, auth: Auth) -> Result<Json<VerifyReport>, ApiError> {
    Ok(Json(state.app.verify_journal(&auth.actor).await?.into()))
}

/// The co-op's settings.
#[utoipa::path(get, path = "/api/v1/settings", tag = "coop", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The settings", body = CoopSettings),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn settings(State(state): State<AppState>, _auth: Auth) -> Result<Json<CoopSettings>, ApiError> {
    Ok(Json(state.app.settings().await?.into()))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3 document of this API", content_type = "application/json")))]
async fn openapi_json() -> Response {
    static DOC: OnceLock<String> = OnceLock::new();
    let doc = DOC.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")));
    ([(header::CONTENT_TYPE, "application/json")], doc.clone()).into_response()
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI document.

/// The API's description, generated from the handlers above.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "coop",
        description = "The JSON API of coop, the operating system of a worker cooperative. \
                       Sign in with POST /api/v1/session (a cookie) or send an API token as \
                       `Authorization: Bearer`. Errors are `{\"error\",\"field\"}`: 401 not signed \
                       in, 403 not allowed, 404 not found, 409 conflict, 422 bad input (naming the \
                       field), 429 too many sign-ins (with Retry-After). Bodies are JSON with \
                       `Content-Type: application/json`; unknown fields are refused."
    ),
    paths(
        healthz_doc, login, current_session, logout, create_token, list_tokens, revoke_token,
        list_members, get_member, add_member, update_member, change_state, set_roles,
        journal, journal_head, journal_verify, settings, openapi_json,
        decisions::list_classes, decisions::set_class, decisions::list_proposals, decisions::new_proposal,
        decisions::get_proposal, decisions::vote, decisions::close_proposal, decisions::count_hands,
        decisions::comment, decisions::ballot_lookup,
        elections::list_elections, elections::new_election, elections::get_election, elections::nominate,
        elections::open_election, elections::cast_ballot, elections::close_election, elections::election_blt,
        money::fiscal_years, money::open_fiscal_year, money::fiscal_year, money::enter_surplus, money::close_fiscal_year,
        money::allocation_policies, money::preview_allocation, money::commit_allocation, money::capital_overview,
        money::capital_account, money::set_buy_in, money::pay_buy_in, money::cash_payments, money::mark_cash_paid, money::ledger,
        money::propose_allocation_policy, money::allocation_notice, money::post_interest, money::redeem, money::depart,
        work::log_hours, work::hours_report, work::import_hours, work::hours_balance, work::set_commitment,
        work::correct_entry, work::corrections, work::time_entries, work::list_projects, work::add_project, work::update_project,
        work::take_leave, work::cancel_leave, work::kind_rates, work::set_kind_rate, work::pay_systems,
        work::new_pay_system, work::pay_runs, work::pay_run, work::approve_pay_run, work::pay_run_csv,
        meetings::list_meetings, meetings::schedule_meeting, meetings::get_meeting, meetings::add_item, meetings::suggest_item,
        meetings::accept_item, meetings::set_notes, meetings::reorder_agenda, meetings::publish_agenda, meetings::attend,
        meetings::set_role, meetings::role_rotation, meetings::add_action, meetings::open_actions, meetings::action_done,
        meetings::action_reopen, meetings::circulate_minutes, meetings::reopen_minutes, meetings::approve_minutes,
        meetings::propose_approval, meetings::add_erratum, meetings::minutes_md, meetings::minutes_html, meetings::minutes_pdf, meetings::meeting_ics,
        meetings::calendar
    ),
    components(schemas(
        ErrorBody, StateName, RoleName, MemberSummary, MemberDetail, HistoryItem, Session, CurrentSession,
        NewToken, TokenInfo, JournalEntry, JournalHead, VerifyReport, CoopSettings, LoginRequest,
        TokenRequest, NewMemberRequest, MemberPatch, StateRequest, RolesRequest,
        decisions::Rule, decisions::VoteRule, decisions::ConsensusRule, decisions::ConsentRule,
        decisions::VoteKind, decisions::ConsensusKind, decisions::ConsentKind, decisions::BaseName,
        decisions::ResultsName, decisions::ChoiceName, decisions::ProposalStatus, decisions::ListStatus, decisions::TallyCounts,
        decisions::ClassView, decisions::ClassChange, decisions::ProposalView, decisions::VoteView,
        decisions::BallotView, decisions::CommentView, decisions::VoteReceipt, decisions::ClassRequest,
        decisions::ProposalRequest, decisions::VoteRequest, decisions::HandCount, decisions::CommentRequest,
        decisions::BallotLookup,
        elections::MethodName, elections::ElectionStatus, elections::ReasonName, elections::TieBreakView,
        elections::TieView, elections::DecisionView, elections::ActionView, elections::TallyView,
        elections::TransferView, elections::RoundView, elections::ElectionBallotView, elections::ElectionView,
        elections::BallotReceipt, elections::ElectionRequest, elections::NominationRequest, elections::OpenRequest,
        elections::BallotRequest,
        money::FiscalYearStatus, money::FiscalYear, money::StatementImport, money::SurplusEntered, money::PolicyDoc,
        money::PolicyStatus, money::PolicyVersion, money::NoticeName, money::MemberAllocation, money::CashDue, money::CashMonth,
        money::Allocation, money::CapitalEntry, money::BuyIn, money::Payment, money::CapitalAccount, money::CashPayment,
        money::Reserve, money::Equity, money::AccountBalance, money::CapitalOverview, money::OpenYearRequest,
        money::SurplusRequest, money::CommitRequest, money::BuyInRequest, money::BuyInPaymentRequest, money::PaidRequest,
        money::PostedMember, money::CapitalPosting, money::PolicyInput, money::PolicyRequest, money::InterestRequest,
        money::RedemptionRequest, money::DepartureRequest,
        work::MemberRef, work::LoggedEntry, work::TimeEntryView, work::FormatName, work::ImportReport, work::HoursRow, work::Balance,
        work::CommitmentView, work::CorrectionView, work::ProjectView, work::KindRateView, work::LeaveTaken,
        work::EqualHourlyKind, work::ByKindKind, work::BasePlusHourlyKind, work::DeclaredSalaryKind,
        work::EqualHourlyBasis, work::ByKindBasis, work::BasePlusHourlyBasis, work::DeclaredSalaryBasis, work::Basis,
        work::BonusPool, work::PaySystemDoc, work::PaySystemStatus, work::PaySystemView, work::PayLine,
        work::MemberHourly, work::RatioCheck, work::Adjustment, work::PayRunMember, work::PayRunStatus,
        work::PayRunView, work::LogRequest, work::ImportRequest, work::CommitmentRequest, work::CorrectionRequest,
        work::ProjectRequest, work::ProjectPatch, work::KindRateRequest, work::LeaveRequest, work::PaySystemRequest,
        meetings::MeetingStatus, meetings::MinutesStatusName, meetings::MeetingKind, meetings::AttendanceName,
        meetings::MeetingRoleName, meetings::AgendaItemState, meetings::AttendanceCounts, meetings::AttendeeView,
        meetings::MeetingRoleView, meetings::RoleSuggestionView, meetings::AgendaItemView, meetings::MeetingActionView,
        meetings::MeetingDecisionView, meetings::ErratumView, meetings::MeetingView, meetings::ScheduledMeetings,
        meetings::MeetingSummary, meetings::MeetingRequest, meetings::AgendaItemRequest, meetings::SuggestionRequest,
        meetings::NotesRequest, meetings::AgendaOrderRequest, meetings::AttendanceRequest, meetings::MeetingRoleRequest,
        meetings::MeetingActionRequest, meetings::ErratumRequest, meetings::MinutesProposalRequest, meetings::PdfFile
    )),
    modifiers(&SecuritySchemes, &CommonErrors),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "tokens", description = "API tokens for scripts"),
        (name = "members", description = "Members, their states and roles"),
        (name = "journal", description = "The sealed, hash-chained journal of every change"),
        (name = "coop", description = "The co-op itself"),
        (name = "decisions", description = "Decision classes, proposals, votes and secret ballots"),
        (name = "elections", description = "Elections: nominations, secret ballots, the count round by round, BLT export"),
        (name = "money", description = "Fiscal years and their surplus, allocation policies, the year-end allocation (preview and commit), capital accounts, buy-ins, cash payments and the ledger export"),
        (name = "work", description = "Hours logged and imported, commitments and balances, corrections, projects, leave"),
        (name = "pay", description = "Rates of kinds of work, pay systems adopted by decision, monthly pay runs and the payroll CSV"),
        (name = "meetings", description = "Meetings: agenda, roles, attendance and quorum, notes, actions, minutes sealed on approval, errata, exports and the calendar"),
        (name = "meta", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

/// The answers every operation of a kind can give, documented once: 415 for a body that is not
/// `application/json` (every operation that takes a body), and 422 for a path parameter that
/// does not read (an id beyond 64 bits, an impossible month or date).
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let shared_path_params = item.parameters.as_ref().is_some_and(|ps| ps.iter().any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Path));
            for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
                let responses = &mut op.responses.responses;
                if op.request_body.is_some() && !responses.contains_key("415") {
                    responses.insert("415".into(), error("The body is not sent as Content-Type: application/json").into());
                }
                let path_params =
                    shared_path_params || op.parameters.as_ref().is_some_and(|ps| ps.iter().any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Path));
                if path_params && !responses.contains_key("422") {
                    responses.insert("422".into(), error("A path parameter does not read (an id beyond 64 bits, an impossible date)").into());
                }
            }
        }
    }
}

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("An API token from POST /api/v1/tokens")).build()),
        );
        components.add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))));
    }
}
