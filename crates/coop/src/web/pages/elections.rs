//! Elections, a sub-page of Decisions: the list with the form that creates an election, and
//! an election's page with its nominations, the ballot, the close, and after the close the
//! winners, the quota, the round-by-round table, the published ballots, "find my ballot" and
//! the BLT download.
//!
//! Why this shape:
//! - The ballot works without JavaScript. For irv and stv every candidate has a `<select>`
//!   of numbers ("1st choice", "2nd choice"... or "Not ranked"); the handler checks the
//!   numbers (each used once, from 1 without a gap) and turns them into the `A>B>C` the use
//!   case takes. A mistake is answered 422 with the form drawn again as it was sent and the
//!   message next to it. Approval is a list of checkboxes, plurality of radio buttons. The
//!   form sends candidate indexes, never names, so a name needs no escaping in a field name.
//! - The count comes from `coop-app` (`coop_core::election::count`); this module only puts the
//!   recorded rounds into words and into a table: rows are candidates, columns are rounds,
//!   with the elected and excluded marked in words (not by colour alone), and the transfers
//!   and broken ties listed under the table.
//! - The receipt code travels once, in the HttpOnly flash cookie, and is shown on the next
//!   page only; "find my ballot" is a POST so the code never lands in a URL. The code is
//!   looked up by its SHA-256 among the ballots the use case publishes at close (only that
//!   hash is stored).

use super::decisions::{closes_field, local_input, tz_name};
use super::forms::FormData;
use super::{FieldErrors, Flash, Msg, PageResult, Problem, Shell, SignedIn, FORM};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use coop_app::elections::{ElectionInput, ElectionView};
use coop_app::{policy, AppError};
use coop_core::election::{Action, Decision, Method, Reason, Round, TieBreak};
use coop_core::member::MemberState;
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::Serialize;
use std::collections::BTreeMap;

/// The methods, in the order the form's select shows them.
const METHODS: [&str; 4] = ["stv", "irv", "plurality", "approval"];

/// Days of voting when nobody says otherwise (as the use case's default).
const DEFAULT_VOTING_DAYS: i64 = 7;

/// The key of a translated lead-in shown above a refusal's reason (which is English).
const LEAD: &str = "_lead";

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn ta(s: &Shell, key: &str, args: &[(&str, FluentValue)]) -> String {
    s.state.i18n.t(s.lang, key, args)
}

/// A `datetime-local` value a week from now, in the co-op's time zone.
fn default_closes(s: &Shell) -> String {
    let now = s.app().clock().now();
    now.checked_add(jiff::SignedDuration::from_hours(24 * DEFAULT_VOTING_DAYS)).map(|t| local_input(s, t)).unwrap_or_default()
}

/// An election's page.
fn page_path(id: i64) -> String {
    format!("/decisions/elections/{id}")
}

// ---------------------------------------------------------------------------------------------
// The list and the new-election form
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct Row {
    id: i64,
    title: String,
    method: &'static str,
    seats: u32,
    status: String,
    turnout: u32,
    eligible: u32,
    closes_at: Option<String>,
    winners: String,
}

async fn list_page(s: &Shell, status: StatusCode, values: BTreeMap<String, String>, errors: FieldErrors) -> PageResult {
    let actor = s.actor()?;
    let sep = s.t("list-separator");
    let rows: Vec<Row> = s
        .app()
        .elections(actor)
        .await?
        .into_iter()
        .map(|e| Row {
            id: e.id,
            title: e.title,
            method: e.method.as_str(),
            seats: e.seats,
            status: e.status,
            turnout: e.turnout,
            eligible: e.eligible,
            closes_at: e.closes_at,
            winners: e.winners.join(&sep),
        })
        .collect();
    let ctx = context! {
        active => "decisions",
        elections => Value::from_serialize(&rows),
        can_create => policy::keep_record(actor).is_ok(),
        values => values,
        errors => errors,
        method_options => s.options(&METHODS, "election-method-"),
        tz_name => tz_name(s),
    };
    Ok(s.render(status, "elections.html", ctx).await)
}

pub async fn list(SignedIn(s): SignedIn) -> Response {
    let result: PageResult = async {
        let values =
            BTreeMap::from([("seats".to_string(), "1".to_string()), ("method".to_string(), "stv".to_string()), ("closes".to_string(), default_closes(&s))]);
        list_page(&s, StatusCode::OK, values, FieldErrors::new()).await
    }
    .await;
    s.finish(result).await
}

pub async fn create(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::keep_record(actor)?;
        let mut errors = FieldErrors::new();
        let seats = form.get("seats").trim().parse::<u32>().map_err(|_| errors.insert("seats".into(), s.msg("form-invalid-number"))).ok();
        let method = Method::parse(form.get("method")).map_err(|_| errors.insert("method".into(), s.msg("form-invalid-choice"))).ok();
        let closes_at = closes_field(&s, &form, "closes").map_err(|m| errors.insert("closes".into(), m)).ok().flatten();
        let (Some(seats), Some(method)) = (seats, method) else {
            return list_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await;
        };
        if !errors.is_empty() {
            return list_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await;
        }
        let candidates: Vec<String> = form.get("candidates").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        let input = ElectionInput { title: form.get("title").to_string(), seats, method, candidates, closes_at, eligible: vec![MemberState::Member] };
        match s.app().new_election(actor, input).await {
            Ok(e) => {
                let key = if e.status == "nominating" { "election-created-nominating" } else { "election-created-now" };
                Ok(s.redirect(&page_path(e.id), Some(Flash::ok(key))))
            }
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                list_page(&s, status, form.values(), errors).await
            }
        }
    }
    .await;
    s.finish(result).await
}

// ---------------------------------------------------------------------------------------------
// The count in words and in a table
// ---------------------------------------------------------------------------------------------

/// A column of the round-by-round table.
#[derive(Serialize)]
struct Column {
    round: u32,
    /// What the round did, in words.
    action: String,
}

/// A cell: the candidate's votes at the end of a round, and what happened to them then.
#[derive(Serialize)]
struct Cell {
    votes: String,
    /// `elected`, `excluded` or empty.
    mark: &'static str,
}

#[derive(Serialize)]
struct CandidateRow {
    name: String,
    won: bool,
    cells: Vec<Cell>,
}

/// A winner, and why.
#[derive(Serialize)]
struct Winner {
    name: String,
    reason: String,
}

#[derive(Serialize, Default)]
struct Results {
    winners: Vec<Winner>,
    /// The quota sentence (STV).
    quota: Option<String>,
    columns: Vec<Column>,
    rows: Vec<CandidateRow>,
    /// Cumulative non-transferable votes per round (irv, stv).
    non_transferable: Vec<String>,
    /// Cumulative votes lost to rounding per round (stv).
    lost_to_rounding: Vec<String>,
    /// One sentence per round with transfers.
    transfers: Vec<String>,
    /// One sentence per broken tie.
    ties: Vec<String>,
}

fn tie_sentence(s: &Shell, round: u32, among: &[String], broken_by: TieBreak) -> String {
    let broken = match broken_by {
        TieBreak::EarlierRound { round } => ta(s, "election-tie-earlier", &[("round", FluentValue::from(i64::from(round)))]),
        TieBreak::CandidateOrder => s.t("election-tie-order"),
    };
    ta(
        s,
        "election-tie-round",
        &[("round", FluentValue::from(i64::from(round))), ("names", among.join(&s.t("list-separator")).into()), ("broken", broken.into())],
    )
}

fn results(s: &Shell, e: &ElectionView) -> Results {
    if e.status != "closed" || e.rounds.is_empty() {
        return Results::default();
    }
    let rounds: &[Round<String>] = &e.rounds;
    let all_elected: Vec<&Decision<String>> = rounds.iter().flat_map(|r| r.elected.iter()).collect();
    let winners = e
        .winners
        .iter()
        .map(|w| {
            let reason = all_elected.iter().find(|d| &d.candidate == w).map(|d| d.reason).unwrap_or(Reason::MostVotes);
            Winner { name: w.clone(), reason: s.t(&format!("election-reason-{}", reason_str(reason))) }
        })
        .collect();
    let quota = e.quota.map(|q| {
        ta(
            s,
            "election-quota",
            &[("quota", FluentValue::from(q as i64)), ("ballots", FluentValue::from(e.ballots.len() as i64)), ("seats", FluentValue::from(i64::from(e.seats)))],
        )
    });
    let columns = rounds
        .iter()
        .map(|r| {
            let action = match &r.action {
                Action::Count => s.t("election-action-count"),
                Action::Surplus { candidate, surplus, .. } => {
                    ta(s, "election-action-surplus", &[("name", candidate.clone().into()), ("votes", surplus.to_string().into())])
                }
                Action::Exclusion { candidate } => ta(s, "election-action-exclusion", &[("name", candidate.clone().into())]),
            };
            Column { round: r.round, action }
        })
        .collect();
    let rows = e
        .candidates
        .iter()
        .map(|c| {
            let cells = rounds
                .iter()
                .map(|r| {
                    let votes = r.tallies.iter().find(|t| &t.candidate == c).map(|t| t.votes.to_string()).unwrap_or_default();
                    let mark = if r.elected.iter().any(|d| &d.candidate == c) {
                        "elected"
                    } else if r.excluded.iter().any(|d| &d.candidate == c) {
                        "excluded"
                    } else {
                        ""
                    };
                    Cell { votes, mark }
                })
                .collect();
            CandidateRow { name: c.clone(), won: e.winners.contains(c), cells }
        })
        .collect();
    let ranked = matches!(e.method, Method::Irv | Method::Stv);
    let non_transferable = if ranked { rounds.iter().map(|r| r.non_transferable.to_string()).collect() } else { Vec::new() };
    let lost_to_rounding = if e.method == Method::Stv { rounds.iter().map(|r| r.lost_to_rounding.to_string()).collect() } else { Vec::new() };
    let sep = s.t("summary-separator");
    let transfers = rounds
        .iter()
        .filter(|r| !r.transfers.is_empty())
        .map(|r| {
            let moves: Vec<String> = r
                .transfers
                .iter()
                .map(|t| {
                    let papers = FluentValue::from(t.papers as i64);
                    match &t.to {
                        Some(to) => ta(
                            s,
                            "election-transfer",
                            &[("papers", papers), ("from", t.from.clone().into()), ("to", to.clone().into()), ("votes", t.votes.to_string().into())],
                        ),
                        None => {
                            ta(s, "election-transfer-exhausted", &[("papers", papers), ("from", t.from.clone().into()), ("votes", t.votes.to_string().into())])
                        }
                    }
                })
                .collect();
            ta(s, "election-transfers-round", &[("round", FluentValue::from(i64::from(r.round))), ("transfers", moves.join(&sep).into())])
        })
        .collect();
    let mut ties = Vec::new();
    for r in rounds {
        if let Action::Surplus { tie: Some(t), .. } = &r.action {
            ties.push(tie_sentence(s, r.round, &t.among, t.broken_by));
        }
        for d in r.elected.iter().chain(r.excluded.iter()) {
            if let Some(t) = &d.tie {
                ties.push(tie_sentence(s, r.round, &t.among, t.broken_by));
            }
        }
    }
    Results { winners, quota, columns, rows, non_transferable, lost_to_rounding, transfers, ties }
}

fn reason_str(r: Reason) -> &'static str {
    match r {
        Reason::Quota => "quota",
        Reason::Majority => "majority",
        Reason::MostVotes => "most_votes",
        Reason::RemainingSeats => "remaining_seats",
        Reason::Lowest => "lowest",
    }
}

/// The form key a ballot of `method` is read from.
fn ballot_kind(method: Method) -> &'static str {
    match method {
        Method::Plurality => "choice",
        Method::Approval => "approve",
        Method::Irv | Method::Stv => "ranking",
    }
}

// ---------------------------------------------------------------------------------------------
// An election's page
// ---------------------------------------------------------------------------------------------

/// What the forms of an election's page show when drawn again.
#[derive(Default)]
struct Forms {
    ballot_values: BTreeMap<String, String>,
    /// The ticked approval boxes, as candidate indexes.
    ballot_checked: Vec<String>,
    ballot_errors: FieldErrors,
    nominate_values: BTreeMap<String, String>,
    nominate_errors: FieldErrors,
    open_values: BTreeMap<String, String>,
    open_errors: FieldErrors,
    close_errors: FieldErrors,
    find_errors: FieldErrors,
    /// The result of "find my ballot": `Some(None)` when no ballot has the code.
    found: Option<Option<Value>>,
}

async fn election_page(s: &Shell, id: i64, status: StatusCode, f: Forms) -> PageResult {
    let actor = s.actor()?;
    let e = s.app().election(actor, id).await?;
    let n = e.candidates.len();
    let rank_options: Vec<(String, String)> = std::iter::once((String::new(), s.t("election-rank-none-option")))
        .chain((1..=n).map(|r| (r.to_string(), ta(s, "election-rank-option", &[("rank", FluentValue::from(r as i64))]))))
        .collect();
    let candidates: Vec<(String, String)> = e.candidates.iter().enumerate().map(|(i, c)| (i.to_string(), c.clone())).collect();
    let open_values = if f.open_values.is_empty() { BTreeMap::from([("closes".to_string(), default_closes(s))]) } else { f.open_values };
    let keep_record = policy::keep_record(actor).is_ok();
    let ctx = context! {
        active => "decisions",
        e => Value::from_serialize(&e),
        method => e.method.as_str(),
        ballot_kind => ballot_kind(e.method),
        method_words => s.t(&format!("election-explain-{}", e.method.as_str())),
        seats_words => ta(s, "election-seats", &[("seats", FluentValue::from(i64::from(e.seats)))]),
        candidates => candidates,
        rank_options => rank_options,
        is_nominating => e.status == "nominating",
        is_open => e.status == "open",
        is_closed => e.status == "closed",
        can_nominate => e.status == "nominating" && policy::view_decisions(actor).is_ok(),
        can_open => e.status == "nominating" && keep_record,
        can_vote => e.status == "open" && actor.member_id().is_some(),
        can_close => e.status == "open" && keep_record,
        blt_available => e.status == "closed" && e.method != Method::Approval,
        results => Value::from_serialize(results(s, &e)),
        ballot_values => f.ballot_values,
        ballot_checked => f.ballot_checked,
        ballot_errors => f.ballot_errors,
        nominate_values => f.nominate_values,
        nominate_errors => f.nominate_errors,
        open_values => open_values,
        open_errors => f.open_errors,
        close_errors => f.close_errors,
        find_errors => f.find_errors,
        searched => f.found.is_some(),
        found => f.found.flatten(),
        tz_name => tz_name(s),
    };
    Ok(s.render(status, "election.html", ctx).await)
}

pub async fn show(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    let result = election_page(&s, id, StatusCode::OK, Forms::default()).await;
    s.finish(result).await
}

/// Reads the numbered ranking form (`rank-0`, `rank-1`... one per candidate, each a number
/// from 1 or empty) into `A>B>C`, or a message: each number used once, from 1 without a gap.
fn ranking_from(s: &Shell, form: &FormData, candidates: &[String]) -> Result<String, Msg> {
    let mut ranked: Vec<(usize, usize)> = Vec::new(); // (rank, candidate index)
    for (i, _) in candidates.iter().enumerate() {
        let Some(text) = form.opt(&format!("rank-{i}")) else { continue };
        let rank = text.parse::<usize>().ok().filter(|r| (1..=candidates.len()).contains(r)).ok_or_else(|| s.msg("form-invalid-choice"))?;
        ranked.push((rank, i));
    }
    if ranked.is_empty() {
        return Err(s.msg("election-rank-empty"));
    }
    ranked.sort();
    for w in ranked.windows(2) {
        if w[0].0 == w[1].0 {
            let rank = w[0].0;
            let names: Vec<&str> = ranked.iter().filter(|(r, _)| *r == rank).map(|(_, i)| candidates[*i].as_str()).collect();
            let text = ta(s, "election-rank-duplicate", &[("rank", FluentValue::from(rank as i64)), ("names", names.join(&s.t("list-separator")).into())]);
            return Err(Msg { text, lang: None });
        }
    }
    if let Some(missing) = ranked.iter().enumerate().find(|(pos, (r, _))| *r != pos + 1).map(|(pos, _)| pos + 1) {
        let text = ta(s, "election-rank-gap", &[("missing", FluentValue::from(missing as i64))]);
        return Err(Msg { text, lang: None });
    }
    Ok(ranked.iter().map(|(_, i)| candidates[*i].as_str()).collect::<Vec<_>>().join(">"))
}

/// Reads a candidate index sent by the form.
fn candidate_at<'a>(s: &Shell, candidates: &'a [String], value: &str) -> Result<&'a str, Msg> {
    value.trim().parse::<usize>().ok().and_then(|i| candidates.get(i)).map(String::as_str).ok_or_else(|| s.msg("form-invalid-choice"))
}

/// The ballot text the use case takes, from the form of the election's method.
fn ballot_from(s: &Shell, form: &FormData, e: &ElectionView) -> Result<String, Msg> {
    match e.method {
        Method::Irv | Method::Stv => ranking_from(s, form, &e.candidates),
        Method::Approval => {
            let ticked = form.all("approve");
            if ticked.is_empty() {
                return Err(s.msg("election-approve-empty"));
            }
            let mut names: Vec<&str> = Vec::new();
            for v in ticked {
                let name = candidate_at(s, &e.candidates, v)?;
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            Ok(names.join(","))
        }
        Method::Plurality => match form.opt("choice") {
            None => Err(s.msg("election-choice-empty")),
            Some(v) => candidate_at(s, &e.candidates, v).map(str::to_string),
        },
    }
}

pub async fn cast(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        let again = |errors: FieldErrors| {
            let mut values = form.values();
            values.remove("receipt"); // a secret: never written back into the page
            let checked = form.all("approve").into_iter().map(str::to_string).collect();
            Forms { ballot_values: values, ballot_checked: checked, ballot_errors: errors, ..Forms::default() }
        };
        // A member votes for themselves; the page has no way to vote for someone else.
        let Some(me) = actor.member_id() else {
            return Err(Problem::App(AppError::Forbidden("only a signed-in member votes".into())));
        };
        let e = s.app().election(actor, id).await?;
        let mut errors = FieldErrors::new();
        let text = match ballot_from(&s, &form, &e) {
            Ok(text) => text,
            Err(msg) => {
                errors.insert("ballot".into(), msg);
                return election_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, again(errors)).await;
            }
        };
        let receipt = form.opt("receipt");
        match s.app().cast_ballot(actor, id, me, &text, receipt).await {
            Ok(r) => {
                let flash = match &r.receipt {
                    Some(code) => Flash::ok("election-receipt-flash").arg("receipt", code.clone()),
                    None => Flash::ok("election-ballot-changed"),
                };
                Ok(s.redirect(&page_path(id), Some(flash)))
            }
            Err(AppError::Forbidden(why)) => {
                errors.insert(LEAD.to_string(), s.msg("election-ballot-refused"));
                errors.insert(FORM.to_string(), s.app_msg(why));
                election_page(&s, id, StatusCode::FORBIDDEN, again(errors)).await
            }
            Err(err) => {
                let status = s.form_failure(err, &mut errors)?;
                election_page(&s, id, status, again(errors)).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn nominate(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let name = form.get("name").trim().to_string();
        match s.app().nominate(s.actor()?, id, &name).await {
            Ok(_) => Ok(s.redirect(&page_path(id), Some(Flash::ok("election-nominated").arg("name", name)))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                election_page(&s, id, status, Forms { nominate_values: form.values(), nominate_errors: errors, ..Forms::default() }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn open(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::keep_record(actor)?;
        let mut errors = FieldErrors::new();
        let closes_at = match closes_field(&s, &form, "closes") {
            Ok(c) => c,
            Err(m) => {
                errors.insert("closes".into(), m);
                return election_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Forms { open_values: form.values(), open_errors: errors, ..Forms::default() })
                    .await;
            }
        };
        match s.app().open_election(actor, id, closes_at).await {
            Ok(_) => Ok(s.redirect(&page_path(id), Some(Flash::ok("election-opened-now")))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                // "Fewer candidates than seats" concerns the whole form, not a field of it.
                if let Some(m) = errors.remove("candidates") {
                    errors.insert(FORM.to_string(), m);
                }
                election_page(&s, id, status, Forms { open_values: form.values(), open_errors: errors, ..Forms::default() }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn close(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        match s.app().close_election(s.actor()?, id).await {
            Ok(_) => Ok(s.redirect(&format!("{}#results", page_path(id)), Some(Flash::ok("election-closed-now")))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                election_page(&s, id, status, Forms { close_errors: errors, ..Forms::default() }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn find_ballot(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let Some(code) = form.opt("receipt") else {
            let errors = FieldErrors::from([("receipt".to_string(), s.msg("proposal-find-empty"))]);
            return election_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Forms { find_errors: errors, ..Forms::default() }).await;
        };
        // Only the SHA-256 of a receipt is stored; the use case publishes it with each ballot.
        let hash = coop_core::journal::sha256_hex(code.as_bytes());
        let e = s.app().election(s.actor()?, id).await?;
        let found = e.ballots.iter().find(|b| b.receipt_hash == hash).map(Value::from_serialize);
        election_page(&s, id, StatusCode::OK, Forms { found: Some(found), ..Forms::default() }).await
    }
    .await;
    s.finish(result).await
}

/// The ballots of a closed election as a BLT file to download.
pub async fn blt(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    let result: PageResult = async {
        let text = s.app().election_blt(s.actor()?, id).await?;
        let headers = [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"election-{id}.blt\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ];
        Ok((headers, text).into_response())
    }
    .await;
    s.finish(result).await
}

#[cfg(test)]
mod tests {
    use crate::i18n::{I18n, Lang};

    #[test]
    fn every_method_reason_and_status_has_words() {
        let i18n = I18n::new();
        for lang in Lang::ALL {
            let keys = super::METHODS
                .iter()
                .flat_map(|m| [format!("election-method-{m}"), format!("election-explain-{m}")])
                .chain(["quota", "majority", "most_votes", "remaining_seats", "lowest"].iter().map(|r| format!("election-reason-{r}")))
                .chain(["nominating", "open", "closed"].iter().map(|st| format!("election-status-{st}")));
            for key in keys {
                assert_ne!(i18n.t(lang, &key, &[]), key, "{key} in {}", lang.code());
            }
        }
        let rank = |n: i64| i18n.t(Lang::En, "election-rank-option", &[("rank", n.into())]);
        assert_eq!((rank(1).as_str(), rank(2).as_str(), rank(3).as_str(), rank(4).as_str()), ("1st choice", "2nd choice", "3rd choice", "4th choice"));
        assert_eq!((rank(11).as_str(), rank(12).as_str(), rank(21).as_str()), ("11th choice", "12th choice", "21st choice"));
    }
}
