//! The decisions part of the JSON API: decision classes, proposals, votes, secret ballots,
//! decisions at meetings and discussion.
//!
//! Same rules as the rest of [`super`]: read the request (422 naming the field), call one
//! `coop-app` use case with the caller's actor, shape the answer with the DTOs below (mirrors
//! of `coop_app::decisions`' types, converted with exhaustive `From` impls). Eligibility,
//! deadlines and roles are decided by the use cases: a vote by someone who may not vote is
//! 403 with the reason, a vote after the close is 409.
//!
//! `GET /proposals/{id}` answers the contract's `proposal show --json` document
//! (`{"id","title","class","rule","status","eligible","tally","round","sealed_hash",...}`).
//! A vote is answered 200 only after its transaction committed (SQLite `synchronous = FULL`):
//! "durably recorded".

use super::{invalid, non_empty, Body, Id, Params, StateName};
use crate::web::auth::Auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use coop_app::decisions::{self as app, ClassInput, ProposalInput, ResultsVisibility};
use coop_app::AppError;
use coop_core::decision::{Base, Choice, DecisionRule};
use coop_core::member::MemberState;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/classes", get(list_classes))
        .route("/classes/{name}", put(set_class))
        .route("/proposals", get(list_proposals).post(new_proposal))
        .route("/proposals/{id}", get(get_proposal))
        .route("/proposals/{id}/votes", post(vote))
        .route("/proposals/{id}/close", post(close_proposal))
        .route("/proposals/{id}/count", post(count_hands))
        .route("/proposals/{id}/comments", post(comment))
        .route("/proposals/{id}/ballot-lookup", post(ballot_lookup))
}

// ---------------------------------------------------------------------------------------------
// Reading requests.

/// The `{name}` of a class in the path.
pub(super) struct ClassName(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClassName {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|e| super::json_error(StatusCode::NOT_FOUND, e.body_text(), None))?;
        Ok(ClassName(raw))
    }
}

/// Renames the fields a use case names after its CLI flags (`--closes`, `--meeting`) to the
/// API's field names, so that a 422 names a field of the body that was sent.
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

// ---------------------------------------------------------------------------------------------
// The API's own types.

/// What a vote's yes count is measured against.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BaseName {
    Cast,
    CastWithAbstain,
    Eligible,
    Present,
}

impl From<Base> for BaseName {
    fn from(b: Base) -> Self {
        match b {
            Base::Cast => BaseName::Cast,
            Base::CastWithAbstain => BaseName::CastWithAbstain,
            Base::Eligible => BaseName::Eligible,
            Base::Present => BaseName::Present,
        }
    }
}

/// The `kind` of a vote rule.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteKind {
    Vote,
}

/// The `kind` of a consensus rule.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsensusKind {
    Consensus,
}

/// The `kind` of a consent rule.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    Consent,
}

/// A vote: passes when yes / base reaches `threshold` (exceeds it when `strict`).
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteRule {
    pub kind: VoteKind,
    /// `"num/den"`, e.g. `"2/3"`.
    #[schema(example = "2/3")]
    pub threshold: String,
    /// True: more than the threshold; false: at least.
    pub strict: bool,
    pub base: BaseName,
    /// `"num/den"` of eligible members who must take part; null = none.
    #[schema(example = "1/2")]
    pub quorum: Option<String>,
}

impl From<coop_core::decision::VoteRule> for VoteRule {
    fn from(v: coop_core::decision::VoteRule) -> Self {
        let coop_core::decision::VoteRule { threshold, strict, base, quorum } = v;
        VoteRule { kind: VoteKind::Vote, threshold: threshold.to_string(), strict, base: base.into(), quorum: quorum.map(|q| q.to_string()) }
    }
}

/// Consensus: passes with no block and at most `max_stand_asides` stand-asides; a block gives
/// `blocked`, or with a `fallback` a second round under that vote rule, whose result is final.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsensusRule {
    pub kind: ConsensusKind,
    /// null = any number.
    pub max_stand_asides: Option<u32>,
    #[schema(example = "1/2")]
    pub quorum: Option<String>,
    pub fallback: Option<VoteRule>,
}

/// Consent: passes unless someone objects.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRule {
    pub kind: ConsentKind,
    pub quorum: Option<String>,
}

/// A decision rule, the contract's JSON: `{"kind":"vote",...}`, `{"kind":"consensus",...}` or
/// `{"kind":"consent",...}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Rule {
    Vote(VoteRule),
    Consensus(ConsensusRule),
    Consent(ConsentRule),
}

impl From<DecisionRule> for Rule {
    fn from(r: DecisionRule) -> Self {
        match r {
            DecisionRule::Vote(v) => Rule::Vote(v.into()),
            DecisionRule::Consensus(c) => {
                let coop_core::decision::ConsensusRule { max_stand_asides, quorum, fallback } = c;
                Rule::Consensus(ConsensusRule {
                    kind: ConsensusKind::Consensus,
                    max_stand_asides,
                    quorum: quorum.map(|q| q.to_string()),
                    fallback: fallback.map(VoteRule::from),
                })
            }
            DecisionRule::Consent(c) => {
                let coop_core::decision::ConsentRule { quorum } = c;
                Rule::Consent(ConsentRule { kind: ConsentKind::Consent, quorum: quorum.map(|q| q.to_string()) })
            }
        }
    }
}

/// When a class's running tally may be seen by members.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ResultsName {
    /// Everyone sees the tally while voting is open.
    Live,
    /// A member sees the tally once they have voted.
    AfterVote,
    /// Nobody sees the tally until the proposal is decided.
    AfterClose,
}

impl From<ResultsVisibility> for ResultsName {
    fn from(r: ResultsVisibility) -> Self {
        match r {
            ResultsVisibility::Live => ResultsName::Live,
            ResultsVisibility::AfterVote => ResultsName::AfterVote,
            ResultsVisibility::AfterClose => ResultsName::AfterClose,
        }
    }
}

/// One of the eight choices; which ones a proposal takes depends on its rule and round.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceName {
    Yes,
    No,
    Abstain,
    Agree,
    StandAside,
    Block,
    Consent,
    Object,
}

impl From<Choice> for ChoiceName {
    fn from(c: Choice) -> Self {
        match c {
            Choice::Yes => ChoiceName::Yes,
            Choice::No => ChoiceName::No,
            Choice::Abstain => ChoiceName::Abstain,
            Choice::Agree => ChoiceName::Agree,
            Choice::StandAside => ChoiceName::StandAside,
            Choice::Block => ChoiceName::Block,
            Choice::Consent => ChoiceName::Consent,
            Choice::Object => ChoiceName::Object,
        }
    }
}

/// A proposal's status. (Named by the OpenAPI document; the use case's text is sent as is.)
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Open,
    Passed,
    Failed,
    NoQuorum,
    Blocked,
}

/// The counts of a round: only the choices of the rule deciding it are present
/// (`yes`,`no`,`abstain` for a vote; `agree`,`stand_aside`,`block` for consensus;
/// `consent`,`object` for consent).
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyCounts {
    pub yes: Option<u32>,
    pub no: Option<u32>,
    pub abstain: Option<u32>,
    pub agree: Option<u32>,
    pub stand_aside: Option<u32>,
    pub block: Option<u32>,
    pub consent: Option<u32>,
    pub object: Option<u32>,
}

/// A decision class: the current version of its rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassView {
    pub name: String,
    /// Versions count up from 1; every decided proposal records the version it was decided under.
    pub version: i64,
    pub rule: Rule,
    /// The membership states that vote (on the day voting opens).
    pub eligible: Vec<StateName>,
    pub results: ResultsName,
    /// True for the class under which changes to the classes are decided.
    pub governs_rules: bool,
    /// The proposal that adopted this version (null for versions set before founding).
    pub adopted_by: Option<i64>,
}

impl From<app::ClassView> for ClassView {
    fn from(c: app::ClassView) -> Self {
        let app::ClassView { name, version, rule, eligible, results, governs_rules, adopted_by } = c;
        ClassView {
            name,
            version,
            rule: rule.into(),
            eligible: eligible.into_iter().map(StateName::from).collect(),
            results: results.into(),
            governs_rules,
            adopted_by,
        }
    }
}

/// One vote of an open ballot.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteView {
    pub member_id: i64,
    pub name: String,
    #[schema(value_type = ChoiceName)]
    pub choice: String,
    pub reason: String,
    #[schema(format = DateTime)]
    pub cast_at: String,
}

impl From<app::VoteView> for VoteView {
    fn from(v: app::VoteView) -> Self {
        let app::VoteView { member_id, name, choice, reason, cast_at } = v;
        VoteView { member_id, name, choice, reason, cast_at }
    }
}

/// One secret ballot as published at close: no member, no time. Find yours by the SHA-256 of
/// your receipt code.
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotView {
    /// A random id.
    pub id: String,
    pub round: i64,
    #[schema(value_type = ChoiceName)]
    pub choice: String,
    /// SHA-256 (hex) of the voter's receipt code.
    pub receipt_hash: String,
}

impl From<app::BallotView> for BallotView {
    fn from(b: app::BallotView) -> Self {
        let app::BallotView { id, round, choice, receipt_hash } = b;
        BallotView { id, round, choice, receipt_hash }
    }
}

/// A discussion comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    /// The author's name (null when written from the command line).
    pub author: Option<String>,
    pub body: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<app::CommentView> for CommentView {
    fn from(c: app::CommentView) -> Self {
        let app::CommentView { id, author, body, created_at } = c;
        CommentView { id, author, body, created_at }
    }
}

/// A proposal: the contract's `coop proposal show --json` document (`id`, `title`, `class`,
/// `rule`, `status`, `eligible`, `tally`, `round`, `sealed_hash`) and more.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub class: String,
    /// The version of the class's rule this proposal is decided under.
    pub class_version: i64,
    pub rule: Rule,
    #[schema(value_type = ProposalStatus)]
    pub status: String,
    /// Members eligible when voting opened.
    pub eligible: u32,
    /// This round's counts; null while the class hides results from this caller.
    #[schema(value_type = Option<TallyCounts>)]
    pub tally: Option<serde_json::Value>,
    /// 1, or 2 for a consensus decided by its fallback vote.
    pub round: u8,
    /// The SHA-256 content hash sealed into the journal once decided.
    pub sealed_hash: Option<String>,
    #[schema(format = DateTime)]
    pub opens_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    /// A secret ballot: no link between a member and a choice is kept.
    pub secret: bool,
    /// Decided at this meeting by a show of hands.
    pub meeting_id: Option<i64>,
    /// True while the class hides the results from this caller.
    pub results_hidden: bool,
    /// How many have voted this round (shown even when results are hidden).
    pub turnout: u32,
    /// The evaluation of the rule: final once decided, else what the tally would give now.
    #[schema(value_type = Option<Object>)]
    pub evaluation: Option<serde_json::Value>,
    /// The outcome in words, e.g. "passed: 5 of 6 votes cast, two-thirds needed, quorum 4 of 7 met".
    pub summary: Option<String>,
    /// While open: more supporting votes needed to pass (null if it can no longer pass).
    pub needed_to_pass: Option<u32>,
    /// The votes of an open ballot (empty for a secret ballot or while results are hidden).
    pub votes: Vec<VoteView>,
    /// A secret ballot's ballots, published at close.
    pub ballots: Vec<BallotView>,
    pub comments: Vec<CommentView>,
    /// The class change this proposal adopts if it passes.
    #[schema(value_type = Option<Object>)]
    pub amendment: Option<serde_json::Value>,
    /// The caller's own vote this round (open ballots only).
    #[schema(value_type = Option<ChoiceName>)]
    pub my_vote: Option<String>,
    #[schema(format = DateTime)]
    pub decided_at: Option<String>,
}

impl From<app::ProposalView> for ProposalView {
    fn from(p: app::ProposalView) -> Self {
        let app::ProposalView {
            id,
            title,
            body,
            class,
            class_version,
            rule,
            status,
            eligible,
            tally,
            round,
            sealed_hash,
            opens_at,
            closes_at,
            secret,
            meeting_id,
            results_hidden,
            turnout,
            evaluation,
            summary,
            needed_to_pass,
            votes,
            ballots,
            comments,
            amendment,
            my_vote,
            decided_at,
        } = p;
        ProposalView {
            id,
            title,
            body,
            class,
            class_version,
            rule: rule.into(),
            status,
            eligible,
            tally,
            round,
            sealed_hash,
            opens_at,
            closes_at,
            secret,
            meeting_id,
            results_hidden,
            turnout,
            evaluation,
            summary,
            needed_to_pass,
            votes: votes.into_iter().map(VoteView::from).collect(),
            ballots: ballots.into_iter().map(BallotView::from).collect(),
            comments: comments.into_iter().map(CommentView::from).collect(),
            amendment,
            my_vote,
            decided_at,
        }
    }
}

/// What setting a class did: `applied` at once (before founding), or `proposed` under the
/// governing class (after the first decision), applied if that proposal passes.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ClassChange {
    Applied { class: ClassView },
    Proposed { proposal: Box<ProposalView> },
}

impl From<app::ClassChange> for ClassChange {
    fn from(c: app::ClassChange) -> Self {
        match c {
            app::ClassChange::Applied { class } => ClassChange::Applied { class: class.into() },
            app::ClassChange::Proposed { proposal } => ClassChange::Proposed { proposal: Box::new((*proposal).into()) },
        }
    }
}

/// What a vote returns, once it is durably recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteReceipt {
    pub proposal_id: i64,
    pub round: u8,
    /// True when this vote replaced the caller's earlier one.
    pub replaced: bool,
    /// For a secret ballot's first vote: the code to find (and change) the ballot. Shown once.
    pub receipt: Option<String>,
    /// The final status when this vote was the last one and the proposal closed with it.
    #[schema(value_type = Option<ProposalStatus>)]
    pub closed_with: Option<String>,
}

impl From<app::VoteReceipt> for VoteReceipt {
    fn from(r: app::VoteReceipt) -> Self {
        let app::VoteReceipt { proposal_id, round, replaced, receipt, closed_with } = r;
        VoteReceipt { proposal_id, round, replaced, receipt, closed_with }
    }
}

/// A class's rule and voters.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassRequest {
    /// The rule, as in the contract: e.g. `{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}`.
    #[schema(value_type = Rule)]
    pub rule: serde_json::Value,
    /// The states that vote (default `["member"]`).
    #[serde(default)]
    #[schema(value_type = Option<Vec<StateName>>)]
    pub eligible: Option<Vec<String>>,
    /// Who sees the running tally (default `live`).
    #[serde(default)]
    #[schema(value_type = Option<ResultsName>)]
    pub results: Option<String>,
    /// Make this the class under which rule changes are decided (default false).
    #[serde(default)]
    pub governs_rules: Option<bool>,
    /// After founding, when the proposal to change the class closes (default a week).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
}

/// A new proposal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    /// The decision class that decides it.
    pub class: String,
    /// 1 to 300 characters.
    pub title: String,
    /// Markdown, at most 100,000 characters.
    #[serde(default)]
    pub body: Option<String>,
    /// The end of voting, RFC 3339 (default a week from now; at a meeting, its end).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
    /// A secret ballot (default false).
    #[serde(default)]
    pub secret: Option<bool>,
    /// Decided at this meeting by a show of hands entered by the secretary.
    #[serde(default)]
    pub meeting_id: Option<i64>,
}

/// A vote by the caller.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteRequest {
    #[schema(value_type = ChoiceName)]
    pub choice: String,
    /// Why; required for `block` and `object`. At most 5,000 characters.
    #[serde(default)]
    pub reason: Option<String>,
    /// To change a secret vote: the receipt code the first vote returned.
    #[serde(default)]
    pub receipt: Option<String>,
}

/// A show of hands at the meeting: counts per choice of the rule (absent = 0).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandCount {
    #[serde(default)]
    pub yes: Option<u32>,
    #[serde(default)]
    pub no: Option<u32>,
    #[serde(default)]
    pub abstain: Option<u32>,
    #[serde(default)]
    pub agree: Option<u32>,
    #[serde(default)]
    pub stand_aside: Option<u32>,
    #[serde(default)]
    pub block: Option<u32>,
    #[serde(default)]
    pub consent: Option<u32>,
    #[serde(default)]
    pub object: Option<u32>,
}

impl HandCount {
    fn counts(&self) -> Vec<(Choice, u32)> {
        let HandCount { yes, no, abstain, agree, stand_aside, block, consent, object } = self;
        [
            (Choice::Yes, *yes),
            (Choice::No, *no),
            (Choice::Abstain, *abstain),
            (Choice::Agree, *agree),
            (Choice::StandAside, *stand_aside),
            (Choice::Block, *block),
            (Choice::Consent, *consent),
            (Choice::Object, *object),
        ]
        .into_iter()
        .filter_map(|(c, n)| n.map(|n| (c, n)))
        .collect()
    }
}

/// A discussion comment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// 1 to 20,000 characters.
    pub body: String,
}

/// A receipt code to look up (in the body, so that it stays out of URL logs).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotLookup {
    pub receipt: String,
}

/// Which proposals to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalListQuery {
    /// Absent: all (newest first, at most 500).
    #[param(value_type = Option<ListStatus>)]
    pub status: Option<String>,
}

/// A filter of the proposal list: `open`, or `decided` (passed, failed, no_quorum or blocked).
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListStatus {
    Open,
    Decided,
}

// ---------------------------------------------------------------------------------------------
// Handlers.

/// The decision classes with their current rules.
#[utoipa::path(get, path = "/api/v1/classes", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The classes", body = Vec<ClassView>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Departed members have no access", body = ErrorBody)))]
pub(super) async fn list_classes(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<ClassView>>, ApiError> {
    Ok(Json(state.app.classes(&auth.actor).await?.into_iter().map(ClassView::from).collect()))
}

/// Sets a decision class (admins). Before founding (no proposal decided yet) it applies at
/// once; after, it opens a proposal under the governing class and applies if that passes.
#[utoipa::path(put, path = "/api/v1/classes/{name}", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    params(("name" = String, Path, description = "The class's name")), request_body = ClassRequest,
    responses((status = 200, description = "Applied: `{\"result\":\"applied\",\"class\":{...}}`", body = ClassChange),
              (status = 202, description = "Proposed: `{\"result\":\"proposed\",\"proposal\":{...}}`", body = ClassChange),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 422, description = "Bad rule or states, naming the field (e.g. `rule.threshold`)", body = ErrorBody)))]
pub(super) async fn set_class(
    State(state): State<AppState>,
    auth: Auth,
    ClassName(name): ClassName,
    Body(req): Body<ClassRequest>,
) -> Result<Response, ApiError> {
    let rule = DecisionRule::from_value(&req.rule).map_err(|e| {
        let field = e.field().map(|f| format!("rule.{f}")).unwrap_or_else(|| "rule".to_string());
        invalid(&field, e.to_string())
    })?;
    let eligible = match req.eligible {
        None => vec![MemberState::Member],
        Some(states) => {
            let mut out = Vec::with_capacity(states.len());
            for (i, s) in states.iter().enumerate() {
                let state = super::parse_state(&format!("eligible[{i}]"), s)?;
                if !out.contains(&state) {
                    out.push(state);
                }
            }
            out
        }
    };
    let results = match non_empty(req.results) {
        None => ResultsVisibility::Live,
        Some(r) => ResultsVisibility::parse(&r)?,
    };
    let closes_at = opt_instant("closes_at", req.closes_at.as_deref())?;
    let input = ClassInput { name, rule, eligible, results, governs_rules: req.governs_rules.unwrap_or(false) };
    let change = state.app.set_class(&auth.actor, input, closes_at).await.map_err(|e| api_error(e, &[("closes", "closes_at")]))?;
    let status = match change {
        app::ClassChange::Applied { .. } => StatusCode::OK,
        app::ClassChange::Proposed { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(ClassChange::from(change))).into_response())
}

/// Proposals, newest first.
#[utoipa::path(get, path = "/api/v1/proposals", tag = "decisions", security(("cookie" = []), ("bearer" = [])), params(ProposalListQuery),
    responses((status = 200, description = "The proposals", body = Vec<ProposalView>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "`status` is neither `open` nor `decided`", body = ErrorBody)))]
pub(super) async fn list_proposals(
    State(state): State<AppState>,
    auth: Auth,
    Params(q): Params<ProposalListQuery>,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    let open = match non_empty(q.status).as_deref() {
        None => None,
        Some("open") => Some(true),
        Some("decided") => Some(false),
        Some(other) => return Err(invalid("status", format!("{other:?} is not a status to list (open or decided)"))),
    };
    Ok(Json(state.app.proposals(&auth.actor, open).await?.into_iter().map(ProposalView::from).collect()))
}

/// Opens a proposal for voting now (members and admins).
#[utoipa::path(post, path = "/api/v1/proposals", tag = "decisions", security(("cookie" = []), ("bearer" = [])), request_body = ProposalRequest,
    responses((status = 201, description = "Opened", body = ProposalView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Only members and admins open proposals", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field", body = ErrorBody)))]
pub(super) async fn new_proposal(State(state): State<AppState>, auth: Auth, Body(req): Body<ProposalRequest>) -> Result<Response, ApiError> {
    let input = ProposalInput {
        class: req.class,
        title: req.title,
        body: req.body.unwrap_or_default(),
        closes_at: opt_instant("closes_at", req.closes_at.as_deref())?,
        secret: req.secret.unwrap_or(false),
        meeting_id: req.meeting_id,
    };
    let view = state.app.new_proposal(&auth.actor, input).await.map_err(|e| api_error(e, &[("closes", "closes_at"), ("meeting", "meeting_id")]))?;
    Ok((StatusCode::CREATED, Json(ProposalView::from(view))).into_response())
}

/// One proposal: the same JSON as `coop proposal show --json`, as this caller may see it.
#[utoipa::path(get, path = "/api/v1/proposals/{id}", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The proposal's id")),
    responses((status = 200, description = "The proposal", body = ProposalView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub(super) async fn get_proposal(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<ProposalView>, ApiError> {
    Ok(Json(state.app.proposal(&auth.actor, id).await?.into()))
}

/// Casts the caller's vote, or replaces their earlier one. Answered 200 once durably recorded.
/// A secret ballot's first vote returns a receipt code; changing it later needs that code.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/votes", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The proposal's id")), request_body = VoteRequest,
    responses((status = 200, description = "Recorded", body = VoteReceipt),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "The caller may not vote on it, and why (e.g. candidates do not vote on this class)", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "Voting has closed, or a secret vote is changed without its receipt", body = ErrorBody),
              (status = 422, description = "A choice the rule does not take, a block or objection without a reason, an unknown receipt", body = ErrorBody)))]
pub(super) async fn vote(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<VoteRequest>) -> Result<Json<VoteReceipt>, ApiError> {
    let voter = auth.actor.member_id().ok_or_else(|| AppError::Forbidden("sign in as a member to vote".into()))?;
    let receipt = non_empty(req.receipt);
    let recorded = state.app.vote(&auth.actor, id, voter, &req.choice, req.reason.as_deref(), receipt.as_deref()).await?;
    Ok(Json(recorded.into()))
}

/// Closes voting now and computes the outcome (secretary or admin).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/close", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The proposal's id")),
    responses((status = 200, description = "The proposal as decided (or in its second round)", body = ProposalView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "Already decided, or waiting for its meeting's show of hands", body = ErrorBody)))]
pub(super) async fn close_proposal(State(state): State<AppState>, auth: Auth, Id(id): Id) -> Result<Json<ProposalView>, ApiError> {
    Ok(Json(state.app.close_proposal(&auth.actor, id).await?.into()))
}

/// Enters the show of hands of a proposal decided at a meeting (secretary or admin); decides it.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/count", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The proposal's id")), request_body = HandCount,
    responses((status = 200, description = "The proposal as decided", body = ProposalView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the secretary or admin role", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "Already decided", body = ErrorBody),
              (status = 422, description = "Not a proposal decided at a meeting (`id`), or counts the rule does not take or above the members present (`counts`)", body = ErrorBody)))]
pub(super) async fn count_hands(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<HandCount>) -> Result<Json<ProposalView>, ApiError> {
    let view = state.app.count_hands(&auth.actor, id, &req.counts()).await.map_err(|e| api_error(e, &[("proposal", "id")]))?;
    Ok(Json(view.into()))
}

/// Adds a discussion comment to an open proposal.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/comments", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The proposal's id")), request_body = CommentRequest,
    responses((status = 201, description = "Added; the proposal with its comments", body = ProposalView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "The discussion closed with the vote", body = ErrorBody),
              (status = 422, description = "An empty or too long comment", body = ErrorBody)))]
pub(super) async fn comment(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<CommentRequest>) -> Result<Response, ApiError> {
    state.app.comment(&auth.actor, id, &req.body).await?;
    let view = state.app.proposal(&auth.actor, id).await?;
    Ok((StatusCode::CREATED, Json(ProposalView::from(view))).into_response())
}

/// Finds a secret ballot by its receipt code in the list published at close. The code goes in
/// the body, never in the URL, so that it stays out of access logs.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/ballot-lookup", tag = "decisions", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The proposal's id")), request_body = BallotLookup,
    responses((status = 200, description = "The ballot", body = BallotView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No ballot of this proposal has that receipt", body = ErrorBody),
              (status = 409, description = "The proposal's ballots are not published yet (it is open, or not secret)", body = ErrorBody),
              (status = 422, description = "No receipt given", body = ErrorBody)))]
pub(super) async fn ballot_lookup(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<BallotLookup>) -> Result<Json<BallotView>, ApiError> {
    let receipt = non_empty(Some(req.receipt)).ok_or_else(|| invalid("receipt", "give the receipt code your vote returned"))?;
    let ballot =
        state.app.find_ballot(&auth.actor, id, &receipt).await?.ok_or_else(|| AppError::NotFound(format!("no ballot of proposal {id} has that receipt")))?;
    Ok(Json(ballot.into()))
}
