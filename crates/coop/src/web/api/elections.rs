//! The elections part of the JSON API: elections for board seats and roles, nominations,
//! secret ballots, the count and the BLT export.
//!
//! Same rules as the rest of [`super`]: read the request (422 naming the field), call one
//! `coop-app` use case with the caller's actor, shape the answer with the DTOs below (mirrors
//! of `coop_app::elections`' and `coop_core::election`'s types, converted with exhaustive
//! `From` impls). Who may create, open or close an election (the secretary or an admin), who
//! may vote (the states the election admits, on its opening date), and when, are decided by
//! the use cases.
//!
//! `GET /elections/{id}` answers the same JSON as `coop election show ID --json`: `winners`,
//! `rounds` and `quota` as the contract gives them, and more. A ballot is sent under the key of
//! the election's method (`ranking` for irv and stv, `approve` for approval, `choice` for
//! plurality), so a 422 names the key that was sent.

use super::{invalid, non_empty, Body, Id, StateName};
use crate::web::auth::Auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use coop_app::elections::{self as app, ElectionInput};
use coop_app::AppError;
use coop_core::election::{self as core, Method};
use coop_core::member::MemberState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/elections", get(list_elections).post(new_election))
        .route("/elections/{id}", get(get_election))
        .route("/elections/{id}/nominations", post(nominate))
        .route("/elections/{id}/open", post(open_election))
        .route("/elections/{id}/ballots", post(cast_ballot))
        .route("/elections/{id}/close", post(close_election))
        .route("/elections/{id}/blt", get(election_blt))
}

// ---------------------------------------------------------------------------------------------
// Reading requests.

/// Renames the fields a use case names after its CLI flags (`--closes`) or its own words
/// (`ballot`) to the API's field names, so that a 422 names a field of the body that was sent.
fn api_error(e: AppError, renames: &[(&str, &str)]) -> ApiError {
    match e {
        AppError::Invalid { field, message } => {
            let field = renames.iter().find(|(from, _)| *from == field).map(|(_, to)| to.to_string()).unwrap_or(field);
            ApiError(AppError::Invalid { field, message })
        }
        other => ApiError(other),
    }
}

fn opt_instant(field: &str, value: Option<&str>) -> Result<Option<jiff::Timestamp>, ApiError> {
    non_empty(value.map(str::to_string)).map(|v| coop_core::time::parse_instant(&v).map_err(|e| invalid(field, e))).transpose()
}

/// The key a ballot of `method` is sent under.
fn ballot_key(method: Method) -> &'static str {
    match method {
        Method::Plurality => "choice",
        Method::Approval => "approve",
        Method::Irv | Method::Stv => "ranking",
    }
}

/// An example ballot of `method`, for messages.
fn ballot_example(method: Method) -> &'static str {
    match method {
        Method::Plurality => r#"{"choice":"A"}"#,
        Method::Approval => r#"{"approve":"A,B"}"#,
        Method::Irv | Method::Stv => r#"{"ranking":"A>B>C"}"#,
    }
}

// ---------------------------------------------------------------------------------------------
// The API's own types.

/// How an election is counted.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MethodName {
    /// One choice per voter; the `seats` candidates with the most votes win.
    Plurality,
    /// Each voter approves of any number of candidates; the most approved win.
    Approval,
    /// Instant-runoff (one seat): rankings; the weakest is excluded round by round.
    Irv,
    /// Single transferable vote, by the Scottish STV rules (SSI 2007/42, rules 45 to 52).
    Stv,
}

impl From<Method> for MethodName {
    fn from(m: Method) -> Self {
        match m {
            Method::Plurality => MethodName::Plurality,
            Method::Approval => MethodName::Approval,
            Method::Irv => MethodName::Irv,
            Method::Stv => MethodName::Stv,
        }
    }
}

/// An election's status. (Named by the OpenAPI document; the use case's text is sent as is.)
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ElectionStatus {
    /// Taking nominations; no ballots yet.
    Nominating,
    /// Taking ballots.
    Open,
    /// Counted; the result and the ballots are published and sealed.
    Closed,
}

/// Why a candidate was elected or excluded.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReasonName {
    /// STV: reached the quota.
    Quota,
    /// IRV: more than half of the continuing ballots.
    Majority,
    /// Plurality and approval: among the `seats` highest counts.
    MostVotes,
    /// As many continuing candidates as vacancies left.
    RemainingSeats,
    /// Fewest votes among the continuing candidates.
    Lowest,
}

impl From<core::Reason> for ReasonName {
    fn from(r: core::Reason) -> Self {
        match r {
            core::Reason::Quota => ReasonName::Quota,
            core::Reason::Majority => ReasonName::Majority,
            core::Reason::MostVotes => ReasonName::MostVotes,
            core::Reason::RemainingSeats => ReasonName::RemainingSeats,
            core::Reason::Lowest => ReasonName::Lowest,
        }
    }
}

/// How a tie was broken: `{"rule":"earlier_round","round":N}` (the tied candidates' votes at
/// the end of that earlier round decided) or `{"rule":"candidate_order"}` (equal in every
/// earlier round: the candidate listed last is excluded, the one listed first preferred).
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TieBreakView {
    EarlierRound { round: u32 },
    CandidateOrder,
}

impl From<core::TieBreak> for TieBreakView {
    fn from(t: core::TieBreak) -> Self {
        match t {
            core::TieBreak::EarlierRound { round } => TieBreakView::EarlierRound { round },
            core::TieBreak::CandidateOrder => TieBreakView::CandidateOrder,
        }
    }
}

/// A tie that had to be broken, and how.
#[derive(Debug, Serialize, ToSchema)]
pub struct TieView {
    /// Every candidate that was tied, in candidate order.
    pub among: Vec<String>,
    pub broken_by: TieBreakView,
}

impl From<core::Tie<String>> for TieView {
    fn from(t: core::Tie<String>) -> Self {
        let core::Tie { among, broken_by } = t;
        TieView { among, broken_by: broken_by.into() }
    }
}

/// A candidate elected or excluded, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub candidate: String,
    pub reason: ReasonName,
    /// Present when a tie-break decided this.
    pub tie: Option<TieView>,
}

impl From<core::Decision<String>> for DecisionView {
    fn from(d: core::Decision<String>) -> Self {
        let core::Decision { candidate, reason, tie } = d;
        DecisionView { candidate, reason: reason.into(), tie: tie.map(TieView::from) }
    }
}

/// What a round did: `{"kind":"count"}` (the first count), `{"kind":"surplus","candidate",
/// "surplus","tie"}` (an elected candidate's surplus transferred, STV) or
/// `{"kind":"exclusion","candidate"}` (a candidate excluded and their ballots transferred).
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionView {
    Count,
    Surplus {
        candidate: String,
        /// Votes, exact to five decimals ("1.33333").
        surplus: String,
        /// Present when several equal surpluses were waiting and a tie-break chose this one.
        tie: Option<TieView>,
    },
    Exclusion {
        candidate: String,
    },
}

impl From<core::Action<String>> for ActionView {
    fn from(a: core::Action<String>) -> Self {
        match a {
            core::Action::Count => ActionView::Count,
            core::Action::Surplus { candidate, surplus, tie } => ActionView::Surplus { candidate, surplus: surplus.to_string(), tie: tie.map(TieView::from) },
            core::Action::Exclusion { candidate } => ActionView::Exclusion { candidate },
        }
    }
}

/// One candidate's votes at the end of a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyView {
    pub candidate: String,
    /// Votes, exact to five decimals, as a decimal string ("12", "3.33333").
    #[schema(example = "3.33333")]
    pub votes: String,
}

impl From<core::Tally<String>> for TallyView {
    fn from(t: core::Tally<String>) -> Self {
        let core::Tally { candidate, votes } = t;
        TallyView { candidate, votes: votes.to_string() }
    }
}

/// Ballots moved in a round from one candidate to another (`to` null: non-transferable).
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferView {
    pub from: String,
    pub to: Option<String>,
    /// Number of ballot papers moved.
    pub papers: u64,
    /// Their total value after the move.
    pub votes: String,
}

impl From<core::Transfer<String>> for TransferView {
    fn from(t: core::Transfer<String>) -> Self {
        let core::Transfer { from, to, papers, votes } = t;
        TransferView { from, to, papers, votes: votes.to_string() }
    }
}

/// One round ("stage") of the count.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundView {
    /// 1-based.
    pub round: u32,
    pub action: ActionView,
    /// Every candidate's votes at the end of the round, in candidate order.
    pub tallies: Vec<TallyView>,
    pub transfers: Vec<TransferView>,
    /// Deemed elected at the end of this round, in order of election.
    pub elected: Vec<DecisionView>,
    /// Excluded in this round.
    pub excluded: Vec<DecisionView>,
    /// Votes on exhausted papers so far, cumulative.
    pub non_transferable: String,
    /// Votes lost to the five-decimal truncation of transfer values so far, cumulative (STV).
    pub lost_to_rounding: String,
}

impl From<core::Round<String>> for RoundView {
    fn from(r: core::Round<String>) -> Self {
        let core::Round { round, action, tallies, transfers, elected, excluded, non_transferable, lost_to_rounding } = r;
        RoundView {
            round,
            action: action.into(),
            tallies: tallies.into_iter().map(TallyView::from).collect(),
            transfers: transfers.into_iter().map(TransferView::from).collect(),
            elected: elected.into_iter().map(DecisionView::from).collect(),
            excluded: excluded.into_iter().map(DecisionView::from).collect(),
            non_transferable: non_transferable.to_string(),
            lost_to_rounding: lost_to_rounding.to_string(),
        }
    }
}

/// A ballot as published at close: no member, no time. Find yours by the SHA-256 of your
/// receipt code.
#[derive(Debug, Serialize, ToSchema)]
pub struct ElectionBallotView {
    /// A random id.
    pub id: String,
    /// As a voter writes it: `A>B>C`, `A,B` or `A`.
    pub ballot: String,
    /// SHA-256 (hex) of the voter's receipt code.
    pub receipt_hash: String,
}

impl From<app::ElectionBallotView> for ElectionBallotView {
    fn from(b: app::ElectionBallotView) -> Self {
        let app::ElectionBallotView { id, ballot, receipt_hash } = b;
        ElectionBallotView { id, ballot, receipt_hash }
    }
}

/// An election: the same JSON as `coop election show ID --json`; `winners`, `rounds` and
/// `quota` as the contract gives them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ElectionView {
    pub id: i64,
    pub title: String,
    pub seats: u32,
    pub method: MethodName,
    /// In ballot order (the order breaks the last ties).
    pub candidates: Vec<String>,
    #[schema(value_type = ElectionStatus)]
    pub status: String,
    #[schema(format = DateTime)]
    pub opens_at: Option<String>,
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
    /// When voting actually closed.
    pub closed_at: Option<String>,
    /// Members admitted to vote when voting opened.
    pub eligible: u32,
    /// How many have voted.
    pub turnout: u32,
    /// The elected, in the order they were elected (empty until closed).
    pub winners: Vec<String>,
    /// The count round by round (empty until closed).
    pub rounds: Vec<RoundView>,
    /// The Droop quota in whole votes (STV); null for the other methods and until closed.
    pub quota: Option<u64>,
    /// The ballots, published at close.
    pub ballots: Vec<ElectionBallotView>,
    /// The SHA-256 content hash sealed into the journal once closed.
    pub sealed_hash: Option<String>,
    /// Whether the caller has voted.
    pub voted: bool,
}

impl From<app::ElectionView> for ElectionView {
    fn from(e: app::ElectionView) -> Self {
        let app::ElectionView {
            id,
            title,
            seats,
            method,
            candidates,
            status,
            opens_at,
            closes_at,
            closed_at,
            eligible,
            turnout,
            winners,
            rounds,
            quota,
            ballots,
            sealed_hash,
            voted,
        } = e;
        ElectionView {
            id,
            title,
            seats,
            method: method.into(),
            candidates,
            status,
            opens_at,
            closes_at,
            closed_at,
            eligible,
            turnout,
            winners,
            rounds: rounds.into_iter().map(RoundView::from).collect(),
            quota,
            ballots: ballots.into_iter().map(ElectionBallotView::from).collect(),
            sealed_hash,
            voted,
        }
    }
}

/// What casting a ballot returns, once it is durably recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotReceipt {
    pub election_id: i64,
    /// True when this ballot replaced the caller's earlier one (sent with its receipt).
    pub replaced: bool,
    /// For a first ballot: the code to find (and change) it. Shown once.
    pub receipt: Option<String>,
}

impl From<app::BallotReceipt> for BallotReceipt {
    fn from(r: app::BallotReceipt) -> Self {
        let app::BallotReceipt { election_id, replaced, receipt } = r;
        BallotReceipt { election_id, replaced, receipt }
    }
}

/// A new election.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ElectionRequest {
    /// 1 to 300 characters.
    pub title: String,
    /// Seats to fill: at least 1, exactly 1 for irv.
    pub seats: u32,
    #[schema(value_type = MethodName)]
    pub method: String,
    /// In ballot order. Given: voting opens at once. Absent or empty: the election starts
    /// with nominations.
    #[serde(default)]
    pub candidates: Option<Vec<String>>,
    /// The end of voting when it opens at once, RFC 3339 (default a week from now).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
    /// The states that vote (on the day voting opens; default `["member"]`).
    #[serde(default)]
    #[schema(value_type = Option<Vec<StateName>>)]
    pub eligible: Option<Vec<String>>,
}

/// A nominee.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominationRequest {
    /// The name as it will stand on the ballot (no `,`, `>` or `"`).
    pub name: String,
}

/// Ends nominations and opens voting.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenRequest {
    /// The end of voting, RFC 3339 (default a week from now).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
}

/// A ballot, under the key of the election's method: `{"ranking":"A>B>C"}` (irv, stv),
/// `{"approve":"A,B"}` (approval) or `{"choice":"A"}` (plurality).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotRequest {
    /// irv and stv: candidates in order of preference, separated by `>`; leave out those you
    /// do not rank.
    #[serde(default)]
    #[schema(example = "Ana>Ben>Chidi")]
    pub ranking: Option<String>,
    /// approval: the candidates you approve of, separated by `,`.
    #[serde(default)]
    #[schema(example = "Ana,Chidi")]
    pub approve: Option<String>,
    /// plurality: one candidate.
    #[serde(default)]
    #[schema(example = "Ana")]
    pub choice: Option<String>,
    /// To change a ballot: the receipt code the first ballot returned.
    #[serde(default)]
    pub receipt: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Handlers.

/// Elections, newest first.
#[utoipa::path(get, path = "/api/v1/elections", tag = "elections", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The elections", body = Vec<ElectionView>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody)))]
pub(super) async fn list_elections(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<ElectionView>>, ApiError> {
    Ok(Json(state.app.elections(&auth.actor).await?.into_iter().map(ElectionView::from).collect()))
}

/// Creates an election (secretary or admin): with candidates it opens for voting at once,
/// without it takes nominations first.
#[utoipa::path(post, path = "/api/v1/elections", tag = "elections", security(("cookie" = []), ("bearer" = [])), request_body = ElectionRequest,
    responses((status = 201, description = "Created", body = ElectionView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field (`title`, `seats`, `method`, `candidates`, `closes_at`, `eligible[i]`)", body = ErrorBody)))]
pub(super) async fn new_election(State(state): State<AppState>, auth: Auth, Body(req): Body<ElectionRequest>) -> Result<Response, ApiError> {
    let method = Method::parse(&req.method).map_err(|e| invalid("method", e.to_string()))?;
    let mut eligible = Vec::new();
    for (i, s) in req.eligible.unwrap_or_default().iter().enumerate() {
        let st = super::parse_state(&format!("eligible[{i}]"), s)?;
        if !eligible.contains(&st) {
            eligible.push(st);
        }
    }
    if eligible.is_empty() {
        eligible.push(MemberState::Member);
    }
    let input = ElectionInput {
        title: req.title,
        seats: req.seats,
        method,
        candidates: req.candidates.unwrap_or_default().into_iter().map(|c| c.trim().to_string()).collect(),
        closes_at: opt_instant("closes_at", req.closes_at.as_deref())?,
        eligible,
    };
    let view = state.app.new_election(&auth.actor, input).await.map_err(|e| api_error(e, &[("closes", "closes_at")]))?;
    Ok((StatusCode::CREATED, Json(ElectionView::from(view))).into_response())
}

/// One election: the same JSON as `coop election show ID --json`.
#[utoipa::path(get, path = "/api/v1/elections/{id}", tag = "elections", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The election's id")),
    responses((status = 200, description = "The election", body = ElectionView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn get_election(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<ElectionView>, ApiError> {
    Ok(Json(state.app.election(&auth.actor, id).await?.into()))
}

/// Nominates a candidate while the election takes nominations (any current participant).
#[utoipa::path(post, path = "/api/v1/elections/{id}/nominations", tag = "elections", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The election's id")), request_body = NominationRequest,
    responses((status = 201, description = "Nominated; the election with its candidates", body = ElectionView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Nominations are closed", body = ErrorBody),
              (status = 422, description = "An empty, repeated or unusable name", body = ErrorBody)))]
pub(super) async fn nominate(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<NominationRequest>) -> Result<Response, ApiError> {
    let view = state.app.nominate(&auth.actor, id, &req.name).await?;
    Ok((StatusCode::CREATED, Json(ElectionView::from(view))).into_response())
}

/// Ends nominations and opens voting (secretary or admin).
#[utoipa::path(post, path = "/api/v1/elections/{id}/open", tag = "elections", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The election's id")), request_body = OpenRequest,
    responses((status = 200, description = "Open for voting", body = ElectionView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Already open or closed", body = ErrorBody),
              (status = 422, description = "Fewer candidates than seats (`candidates`), or a closing time not in the future (`closes_at`)", body = ErrorBody)))]
pub(super) async fn open_election(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<OpenRequest>) -> Result<Json<ElectionView>, ApiError> {
    let closes_at = opt_instant("closes_at", req.closes_at.as_deref())?;
    let view = state.app.open_election(&auth.actor, id, closes_at).await.map_err(|e| api_error(e, &[("closes", "closes_at")]))?;
    Ok(Json(view.into()))
}

/// Casts the caller's secret ballot. Answered 200 once durably recorded, with a receipt code
/// (shown once) that finds the ballot in the list published at close. A second ballot needs
/// that code and replaces the first.
#[utoipa::path(post, path = "/api/v1/elections/{id}/ballots", tag = "elections", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The election's id")), request_body = BallotRequest,
    responses((status = 200, description = "Recorded", body = BallotReceipt),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "The caller may not vote in it, and why", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Not open for ballots, or a second ballot without the receipt of the first", body = ErrorBody),
              (status = 422, description = "A ballot under the wrong key or none, unknown or repeated candidates (naming `ranking`, `approve` or `choice`), an unknown receipt", body = ErrorBody)))]
pub(super) async fn cast_ballot(
    State(state): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(req): Body<BallotRequest>,
) -> Result<Json<BallotReceipt>, ApiError> {
    let voter = auth.actor.member_id().ok_or_else(|| AppError::Forbidden("sign in as a member to vote".into()))?;
    let method = state.app.election(&auth.actor, id).await?.method;
    let key = ballot_key(method);
    let sent: Vec<(&str, &String)> =
        [("ranking", &req.ranking), ("approve", &req.approve), ("choice", &req.choice)].into_iter().filter_map(|(k, v)| v.as_ref().map(|v| (k, v))).collect();
    let text = match sent.as_slice() {
        [] => return Err(invalid("ballot", format!("send the ballot, e.g. {}", ballot_example(method)))),
        [(k, v)] if *k == key => v.as_str(),
        [(k, _)] => {
            return Err(invalid(k, format!("this election is counted by {method} and takes {key:?}, e.g. {}", ballot_example(method))));
        }
        _ => return Err(invalid("ballot", format!("send one ballot only, under {key:?}, e.g. {}", ballot_example(method)))),
    };
    let receipt = non_empty(req.receipt);
    let recorded = state.app.cast_ballot(&auth.actor, id, voter, text, receipt.as_deref()).await.map_err(|e| api_error(e, &[("ballot", key)]))?;
    Ok(Json(recorded.into()))
}

/// Closes voting now, counts and seals the result (secretary or admin).
#[utoipa::path(post, path = "/api/v1/elections/{id}/close", tag = "elections", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The election's id")),
    responses((status = 200, description = "The election as counted", body = ElectionView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Not open, or no ballot was cast", body = ErrorBody)))]
pub(super) async fn close_election(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<ElectionView>, ApiError> {
    Ok(Json(state.app.close_election(&auth.actor, id).await?.into()))
}

/// The ballots of a closed election in the BLT format read by other counting programs
/// (OpenSTV, Droop, eSTV...), as `text/plain`.
#[utoipa::path(get, path = "/api/v1/elections/{id}/blt", tag = "elections", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The election's id")),
    responses((status = 200, description = "The BLT file", content_type = "text/plain", body = String),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Not closed yet (the ballots are published at close), or an approval election (BLT carries no approval ballots)", body = ErrorBody)))]
pub(super) async fn election_blt(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Response, ApiError> {
    let blt = state.app.election_blt(&auth.actor, id).await?;
    Ok(blt_response(id, blt))
}

/// A BLT file as a download: `text/plain`, named `election-ID.blt`.
fn blt_response(id: i64, blt: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"election-{id}.blt\""))],
        blt,
    )
        .into_response()
}
