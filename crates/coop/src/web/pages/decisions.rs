//! Decisions: the proposals (open and decided), a proposal with its vote form, tally, outcome
//! and rule quoted in words, the form that opens a proposal, and the co-op's table of
//! decision classes.
//!
//! Why this shape:
//! - The outcome, the tally and "what it takes to pass" come from `coop-app` (which asks
//!   `coop_core::decision::evaluate`); this module only puts them into words. The English
//!   sentence the use case stores (`summary`) is not shown: the sentence is rebuilt here from
//!   the evaluation's numbers with translated fragments, so an Arabic page reads in Arabic.
//! - A refused vote (not eligible, voting closed, a block without a reason) is drawn on the
//!   proposal page next to the vote form, with the use case's reason, never as a bare error.
//! - A secret ballot's receipt code travels once, in the HttpOnly flash cookie, and is shown
//!   on the next page only; "find my ballot" is a POST so the code never lands in a URL, a
//!   browser history or a server log.

use super::forms::FormData;
use super::{FieldErrors, Flash, Msg, PageResult, Problem, Shell, SignedIn, FORM};
use crate::i18n::{I18n, Lang};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use coop_app::decisions::{ClassChange, ClassInput, ClassView, ProposalInput, ProposalView, ResultsVisibility};
use coop_app::{policy, AppError};
use coop_core::decision::{DecisionRule, Ratio, VoteRule};
use coop_core::member::MemberState;
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// The results settings of a class, in the order a select shows them.
const RESULTS: [&str; 3] = ["live", "after_vote", "after_close"];

/// Examples of the rule JSON for the class form (code, so not translated).
const RULE_EXAMPLES: [&str; 3] = [
    r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#,
    r#"{"kind":"consensus","max_stand_asides":2,"quorum":"1/2","fallback":{"kind":"vote","threshold":"3/4","strict":false,"base":"cast","quorum":null}}"#,
    r#"{"kind":"consent","quorum":null}"#,
];

// ---------------------------------------------------------------------------------------------
// Words: rules, outcomes and counts built from translated fragments
// ---------------------------------------------------------------------------------------------

/// Puts rules and evaluations into words in one language.
pub struct Words<'a> {
    i18n: &'a I18n,
    lang: Lang,
}

impl<'a> Words<'a> {
    pub fn new(i18n: &'a I18n, lang: Lang) -> Words<'a> {
        Words { i18n, lang }
    }

    fn of(s: &'a Shell) -> Words<'a> {
        Words::new(&s.state.i18n, s.lang)
    }

    fn t(&self, key: &str) -> String {
        self.i18n.t(self.lang, key, &[])
    }

    fn ta(&self, key: &str, args: &[(&str, FluentValue)]) -> String {
        self.i18n.t(self.lang, key, args)
    }

    /// "two-thirds (2/3)" for a share with a name, else "2/7"; reduced only to find the name,
    /// so "2/4" shows as "half (2/4)", exactly as the co-op wrote it.
    pub fn ratio(&self, r: Ratio) -> String {
        let g = gcd(r.num(), r.den()).max(1);
        let (n, d) = (r.num() / g, r.den() / g);
        let named = matches!((n, d), (1, 1) | (1, 2) | (1, 3) | (2, 3) | (1, 4) | (3, 4) | (3, 5) | (4, 5));
        if named {
            let name = self.t(&format!("ratio-{n}-{d}"));
            self.ta("ratio-named", &[("name", name.into()), ("ratio", r.to_string().into())])
        } else {
            r.to_string()
        }
    }

    /// "at least two-thirds (2/3)", "more than half (1/2)".
    fn share(&self, threshold: Ratio, strict: bool) -> String {
        let key = if strict { "rule-share-more-than" } else { "rule-share-at-least" };
        self.ta(key, &[("ratio", self.ratio(threshold).into())])
    }

    fn unanimous(threshold: Ratio, strict: bool) -> bool {
        !strict && threshold.num() == threshold.den()
    }

    fn quorum(&self, quorum: Option<Ratio>) -> String {
        match quorum {
            Some(q) => self.ta("rule-quorum", &[("ratio", self.ratio(q).into())]),
            None => self.t("rule-no-quorum"),
        }
    }

    /// "at least two-thirds (2/3) of votes cast (yes and no); quorum half (1/2) of eligible members".
    /// `sep` joins the share and the quorum: "; " for a rule, ", " inside a fallback (which
    /// is itself one item of a list joined by "; ").
    fn vote_terms(&self, v: &VoteRule, sep: &str) -> String {
        let base = self.t(&format!("rule-base-{}", v.base.as_str()));
        let terms = if Self::unanimous(v.threshold, v.strict) {
            self.ta("rule-vote-unanimous", &[("base", base.into())])
        } else {
            self.ta("rule-vote-terms", &[("share", self.share(v.threshold, v.strict).into()), ("base", base.into())])
        };
        [terms, self.quorum(v.quorum)].join(&self.t(sep))
    }

    /// The whole rule in words, e.g. "Vote: at least two-thirds (2/3) of votes cast (yes and
    /// no); quorum half (1/2) of eligible members".
    pub fn rule(&self, rule: &DecisionRule) -> String {
        let sep = self.t("rule-separator");
        match rule {
            DecisionRule::Vote(v) => self.ta("rule-vote", &[("terms", self.vote_terms(v, "rule-separator").into())]),
            DecisionRule::Consensus(c) => {
                let stand_asides = match c.max_stand_asides {
                    Some(m) => self.ta("rule-stand-asides-max", &[("count", FluentValue::from(i64::from(m)))]),
                    None => self.t("rule-stand-asides-any"),
                };
                let fallback = match &c.fallback {
                    Some(v) => self.ta("rule-fallback", &[("terms", self.vote_terms(v, "summary-separator").into())]),
                    None => self.t("rule-no-fallback"),
                };
                [self.t("rule-consensus"), stand_asides, self.quorum(c.quorum), fallback].join(&sep)
            }
            DecisionRule::Consent(c) => [self.t("rule-consent"), self.quorum(c.quorum)].join(&sep),
        }
    }

    /// The outcome sentence from an evaluation (`coop_core::decision::Evaluation` as JSON):
    /// "passed: 5 of 6 votes cast (yes and no), at least two-thirds (2/3) needed, quorum 4 of 7 met".
    pub fn summary(&self, e: &Json) -> Option<String> {
        let n = |v: &Json, k: &str| FluentValue::from(v.get(k).and_then(Json::as_i64).unwrap_or(0));
        let outcome = self.t(&format!("outcome-{}", e.get("outcome")?.as_str()?));
        let x = e.get("explanation")?;
        let sep = self.t("summary-separator");
        let mut parts = Vec::new();
        match x.get("kind")?.as_str()? {
            "vote" => {
                let threshold = Ratio::parse(x.get("threshold")?.as_str()?).ok()?;
                let strict = x.get("strict").and_then(Json::as_bool).unwrap_or(false);
                let base = self.t(&format!("rule-base-{}", x.get("base")?.as_str()?));
                let share = if Self::unanimous(threshold, strict) { self.t("summary-share-unanimous") } else { self.share(threshold, strict) };
                parts.push(self.ta("summary-vote", &[("yes", n(x, "yes")), ("count", n(x, "base_count")), ("base", base.into()), ("share", share.into())]));
            }
            "consensus" => {
                parts.push(self.ta("summary-consensus", &[("agree", n(x, "agree")), ("stand_aside", n(x, "stand_aside")), ("block", n(x, "block"))]));
                if let Some(max) = x.get("max_stand_asides").and_then(Json::as_i64) {
                    parts.push(self.ta("summary-stand-aside-limit", &[("max", FluentValue::from(max))]));
                }
            }
            "consent" => parts.push(self.ta("summary-consent", &[("consent", n(x, "consent")), ("object", n(x, "object"))])),
            _ => return None,
        }
        if let Some(needed) = e.get("quorum_needed").and_then(Json::as_i64) {
            let met = e.get("quorum_met").and_then(Json::as_bool).unwrap_or(false);
            let key = if met { "summary-quorum-met" } else { "summary-quorum-not-met" };
            parts.push(self.ta(key, &[("needed", FluentValue::from(needed)), ("eligible", n(e, "eligible")), ("participation", n(e, "participation"))]));
        }
        Some(self.ta("summary", &[("outcome", outcome.into()), ("details", parts.join(&sep).into())]))
    }

    /// The states that vote on a class, in words ("Member, Candidate").
    fn states(&self, states: &[MemberState]) -> String {
        states.iter().map(|st| self.t(&format!("state-{}", st.as_str()))).collect::<Vec<_>>().join(&self.t("list-separator"))
    }
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

pub(super) fn tz(s: &Shell) -> jiff::tz::TimeZone {
    s.settings.as_ref().map(|c| c.tz()).unwrap_or(jiff::tz::TimeZone::UTC)
}

pub(super) fn tz_name(s: &Shell) -> String {
    s.settings.as_ref().map(|c| c.timezone.clone()).unwrap_or_else(|| "UTC".into())
}

/// A `datetime-local` value ("2026-03-01T14:30") for an instant, in the co-op's time zone.
pub(super) fn local_input(s: &Shell, at: jiff::Timestamp) -> String {
    at.to_zoned(tz(s)).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// Reads a `datetime-local` field as a time in the co-op's zone; empty gives `None`. A time
/// that a clock change skips or repeats is read as jiff's "compatible" choice (the later
/// offset for a gap, the earlier for a fold), as calendars do.
pub(super) fn closes_field(s: &Shell, form: &FormData, field: &str) -> Result<Option<jiff::Timestamp>, Msg> {
    let Some(text) = form.opt(field) else { return Ok(None) };
    let parsed = text.parse::<jiff::civil::DateTime>().ok().and_then(|dt| dt.to_zoned(tz(s)).ok());
    parsed.map(|z| Some(z.timestamp())).ok_or_else(|| s.msg("form-invalid-datetime"))
}

/// The key of a translated lead-in shown above a refusal's reason (which is English).
const LEAD: &str = "_lead";

/// A refusal of a use case to show on a form: field errors and conflicts as `form_failure`
/// sorts them, and a refusal (403) at the top of the form: `lead`, translated, then the use
/// case's reason ("candidates do not vote on this class").
fn refusal(s: &Shell, e: AppError, lead: &str, errors: &mut FieldErrors) -> Result<StatusCode, Problem> {
    match e {
        AppError::Forbidden(why) => {
            errors.insert(LEAD.to_string(), s.msg(lead));
            errors.insert(FORM.to_string(), s.app_msg(why));
            Ok(StatusCode::FORBIDDEN)
        }
        other => s.form_failure(other, errors),
    }
}

/// Whether the co-op is founded: some proposal is decided, so a class change is a proposal.
async fn founded(s: &Shell) -> Result<bool, Problem> {
    Ok(!s.app().proposals(s.actor()?, Some(false)).await?.is_empty())
}

/// A proposal row for the list pages.
#[derive(Serialize)]
struct Row {
    id: i64,
    title: String,
    class: String,
    status: String,
    closes_at: String,
    decided_at: Option<String>,
    turnout: u32,
    eligible: u32,
    secret: bool,
    results_hidden: bool,
    needed_to_pass: Option<u32>,
    summary: Option<String>,
}

fn row(w: &Words, p: &ProposalView) -> Row {
    Row {
        id: p.id,
        title: p.title.clone(),
        class: p.class.clone(),
        status: p.status.clone(),
        closes_at: p.closes_at.clone(),
        decided_at: p.decided_at.clone(),
        turnout: p.turnout,
        eligible: p.eligible,
        secret: p.secret,
        results_hidden: p.results_hidden,
        needed_to_pass: p.needed_to_pass,
        summary: p.evaluation.as_ref().and_then(|e| w.summary(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

pub async fn list(SignedIn(s): SignedIn) -> Response {
    let result: PageResult = async {
        let actor = s.actor()?;
        let w = Words::of(&s);
        let open: Vec<Row> = s.app().proposals(actor, Some(true)).await?.iter().map(|p| row(&w, p)).collect();
        let decided: Vec<Row> = s.app().proposals(actor, Some(false)).await?.iter().map(|p| row(&w, p)).collect();
        let ctx = context! {
            active => "decisions",
            open => Value::from_serialize(&open),
            decided => Value::from_serialize(&decided),
            can_propose => policy::propose(actor).is_ok(),
        };
        Ok(s.render(StatusCode::OK, "decisions.html", ctx).await)
    }
    .await;
    s.finish(result).await
}

// ---------------------------------------------------------------------------------------------
// A new proposal
// ---------------------------------------------------------------------------------------------

async fn new_page(s: &Shell, status: StatusCode, values: BTreeMap<String, String>, errors: FieldErrors) -> PageResult {
    let classes = s.app().classes(s.actor()?).await?;
    let w = Words::of(s);
    let options: Vec<(String, String)> = classes.iter().map(|c| (c.name.clone(), format!("{} — {}", c.name, w.rule(&c.rule)))).collect();
    let ctx = context! {
        active => "decisions",
        values => values,
        errors => errors,
        class_options => options,
        tz_name => tz_name(s),
    };
    Ok(s.render(status, "proposal_form.html", ctx).await)
}

pub async fn new_form(SignedIn(s): SignedIn) -> Response {
    let result: PageResult = async {
        policy::propose(s.actor()?)?;
        let week = s.app().clock().now().checked_add(jiff::SignedDuration::from_hours(24 * coop_app::decisions::DEFAULT_VOTING_DAYS));
        let values = BTreeMap::from([("closes".to_string(), week.map(|t| local_input(&s, t)).unwrap_or_default())]);
        new_page(&s, StatusCode::OK, values, FieldErrors::new()).await
    }
    .await;
    s.finish(result).await
}

pub async fn create(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::propose(actor)?;
        let mut errors = FieldErrors::new();
        let closes_at = closes_field(&s, &form, "closes").map_err(|m| errors.insert("closes".into(), m)).ok().flatten();
        if !errors.is_empty() {
            return new_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await;
        }
        let input = ProposalInput {
            class: form.get("class").to_string(),
            title: form.get("title").to_string(),
            body: form.get("body").to_string(),
            closes_at,
            secret: !form.get("secret").is_empty(),
            meeting_id: None,
        };
        match s.app().new_proposal(actor, input).await {
            Ok(p) => Ok(s.redirect(&format!("/decisions/{}", p.id), Some(Flash::ok("proposal-opened-now")))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                new_page(&s, status, form.values(), errors).await
            }
        }
    }
    .await;
    s.finish(result).await
}

// ---------------------------------------------------------------------------------------------
// A proposal
// ---------------------------------------------------------------------------------------------

/// What the forms of a proposal page show when drawn again.
#[derive(Default)]
struct Forms {
    vote_values: BTreeMap<String, String>,
    vote_errors: FieldErrors,
    comment_values: BTreeMap<String, String>,
    comment_errors: FieldErrors,
    find_errors: FieldErrors,
    /// The result of "find my ballot": `Some(None)` when no ballot has the code.
    found: Option<Option<Value>>,
    close_errors: FieldErrors,
}

async fn proposal_page(s: &Shell, id: i64, status: StatusCode, f: Forms) -> PageResult {
    let actor = s.actor()?;
    let p = s.app().proposal(actor, id).await?;
    let w = Words::of(s);
    let round = p.round;
    let open = p.status == "open";
    let choices: Vec<&str> = p.rule.choices(round).iter().map(|c| c.as_str()).collect();
    let needs_reason: Vec<String> = p.rule.choices(round).iter().filter(|c| c.needs_reason()).map(|c| s.t(&format!("choice-{}", c.as_str()))).collect();
    let support = p.rule.for_round(round).map(|r| r.support().as_str()).unwrap_or("yes");
    let tally: Vec<(String, u64)> = match &p.tally {
        Some(t) => choices.iter().map(|c| (c.to_string(), t.get(*c).and_then(Json::as_u64).unwrap_or(0))).collect(),
        None => Vec::new(),
    };
    // Why results are hidden: the class shows them after a member votes, or at the close.
    let hidden_until = if p.results_hidden {
        let class = s.app().classes(actor).await?.into_iter().find(|c| c.name == p.class);
        match class.map(|c| c.results) {
            Some(ResultsVisibility::AfterVote) if p.my_vote.is_none() => "vote",
            _ => "close",
        }
    } else {
        ""
    };
    let ctx = context! {
        active => "decisions",
        p => Value::from_serialize(&p),
        is_open => open,
        rule_words => w.rule(&p.rule),
        summary => p.evaluation.as_ref().and_then(|e| w.summary(e)),
        choices => choices,
        needs_reason => needs_reason.join(&s.t("list-separator")),
        support => support,
        tally => tally,
        hidden_until => hidden_until,
        amendment_class => p.amendment.as_ref().and_then(|a| a.get("class")).and_then(Json::as_str),
        can_vote => open && p.meeting_id.is_none(),
        can_close => open && policy::keep_record(actor).is_ok(),
        vote_values => f.vote_values,
        vote_errors => f.vote_errors,
        comment_values => f.comment_values,
        comment_errors => f.comment_errors,
        find_errors => f.find_errors,
        searched => f.found.is_some(),
        found => f.found.flatten(),
        close_errors => f.close_errors,
    };
    Ok(s.render(status, "proposal.html", ctx).await)
}

pub async fn show(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    let result = proposal_page(&s, id, StatusCode::OK, Forms::default()).await;
    s.finish(result).await
}

pub async fn vote(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        let mut errors = FieldErrors::new();
        let again = |errors: FieldErrors| {
            let mut values = form.values();
            values.remove("receipt"); // a secret: never written back into the page
            Forms { vote_values: values, vote_errors: errors, ..Forms::default() }
        };
        // A member votes for themselves; the page has no way to vote for someone else.
        let Some(me) = actor.member_id() else {
            return Err(Problem::App(AppError::Forbidden("only a signed-in member votes".into())));
        };
        if form.opt("choice").is_none() {
            errors.insert("choice".into(), s.msg("proposal-vote-choose"));
            return proposal_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, again(errors)).await;
        }
        let reason = form.opt("reason");
        let receipt = form.opt("receipt");
        match s.app().vote(actor, id, me, form.get("choice"), reason, receipt).await {
            Ok(r) => {
                let flash = match (&r.receipt, r.replaced, &r.closed_with) {
                    (Some(code), _, _) => Flash::ok("proposal-secret-receipt").arg("receipt", code.clone()),
                    (None, true, _) if receipt.is_some() => Flash::ok("proposal-secret-changed"),
                    (None, true, _) => Flash::ok("proposal-vote-changed"),
                    (None, false, Some(_)) => Flash::ok("proposal-voted-decided"),
                    (None, false, None) => Flash::ok("proposal-voted"),
                };
                Ok(s.redirect(&format!("/decisions/{id}"), Some(flash)))
            }
            Err(e) => {
                let status = refusal(&s, e, "proposal-vote-refused", &mut errors)?;
                proposal_page(&s, id, status, again(errors)).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn comment(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        match s.app().comment(s.actor()?, id, form.get("body")).await {
            Ok(()) => Ok(s.redirect(&format!("/decisions/{id}#discussion"), Some(Flash::ok("proposal-commented")))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                proposal_page(&s, id, status, Forms { comment_values: form.values(), comment_errors: errors, ..Forms::default() }).await
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
        match s.app().close_proposal(s.actor()?, id).await {
            Ok(p) => {
                let key = if p.status == "open" { "proposal-next-round" } else { "proposal-closed-now" };
                Ok(s.redirect(&format!("/decisions/{id}"), Some(Flash::ok(key))))
            }
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                proposal_page(&s, id, status, Forms { close_errors: errors, ..Forms::default() }).await
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
            return proposal_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Forms { find_errors: errors, ..Forms::default() }).await;
        };
        let found = s.app().find_ballot(s.actor()?, id, code).await?;
        let found = found.map(|b| Value::from_serialize(&b));
        proposal_page(&s, id, StatusCode::OK, Forms { found: Some(found), ..Forms::default() }).await
    }
    .await;
    s.finish(result).await
}

// ---------------------------------------------------------------------------------------------
// Decision classes
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct ClassRow {
    name: String,
    version: i64,
    rule: String,
    eligible: String,
    results: &'static str,
    governs_rules: bool,
    adopted_by: Option<i64>,
}

fn class_row(w: &Words, c: &ClassView) -> ClassRow {
    ClassRow {
        name: c.name.clone(),
        version: c.version,
        rule: w.rule(&c.rule),
        eligible: w.states(&c.eligible),
        results: c.results.as_str(),
        governs_rules: c.governs_rules,
        adopted_by: c.adopted_by,
    }
}

async fn classes_page(s: &Shell, status: StatusCode, values: BTreeMap<String, String>, eligible: Vec<String>, errors: FieldErrors) -> PageResult {
    let actor = s.actor()?;
    let classes = s.app().classes(actor).await?;
    let w = Words::of(s);
    let rows: Vec<ClassRow> = classes.iter().map(|c| class_row(&w, c)).collect();
    let states: Vec<&str> = MemberState::ALL.iter().map(|st| st.as_str()).collect();
    let ctx = context! {
        active => "decisions",
        classes => Value::from_serialize(&rows),
        can_set => policy::manage_rules(actor).is_ok(),
        founded => founded(s).await?,
        governing => classes.iter().find(|c| c.governs_rules).map(|c| c.name.clone()),
        values => values,
        checked_states => eligible,
        state_options => s.options(&states, "state-"),
        results_options => s.options(&RESULTS, "results-"),
        examples => RULE_EXAMPLES,
        errors => errors,
        tz_name => tz_name(s),
    };
    Ok(s.render(status, "classes.html", ctx).await)
}

pub async fn classes(SignedIn(s): SignedIn) -> Response {
    let result: PageResult = async {
        let values = BTreeMap::from([("results".to_string(), "live".to_string()), ("rule".to_string(), RULE_EXAMPLES[0].to_string())]);
        classes_page(&s, StatusCode::OK, values, vec!["member".into()], FieldErrors::new()).await
    }
    .await;
    s.finish(result).await
}

pub async fn set_class(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::manage_rules(actor)?;
        let checked: Vec<String> = form.all("eligible").into_iter().map(str::to_string).collect();
        let mut errors = FieldErrors::new();
        let rule = DecisionRule::parse_json(form.get("rule")).map_err(|e| errors.insert("rule".into(), s.app_msg(e.to_string()))).ok();
        let mut eligible = Vec::new();
        for v in &checked {
            match MemberState::parse(v) {
                Ok(st) if !eligible.contains(&st) => eligible.push(st),
                Ok(_) => {}
                Err(_) => {
                    errors.insert("eligible".into(), s.msg("form-invalid-state"));
                }
            }
        }
        let results = ResultsVisibility::parse(form.get("results")).map_err(|_| errors.insert("results".into(), s.msg("form-invalid-choice"))).ok();
        let closes_at = closes_field(&s, &form, "closes").map_err(|m| errors.insert("closes".into(), m)).ok().flatten();
        let (Some(rule), Some(results)) = (rule, results) else {
            return classes_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), checked, errors).await;
        };
        if !errors.is_empty() {
            return classes_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), checked, errors).await;
        }
        let input = ClassInput { name: form.get("name").to_string(), rule, eligible, results, governs_rules: !form.get("governs_rules").is_empty() };
        match s.app().set_class(actor, input, closes_at).await {
            Ok(ClassChange::Applied { class }) => Ok(s.redirect("/decisions/classes", Some(Flash::ok("classes-applied").arg("name", class.name)))),
            Ok(ClassChange::Proposed { proposal }) => Ok(s.redirect(&format!("/decisions/{}", proposal.id), Some(Flash::ok("classes-proposed")))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                classes_page(&s, status, form.values(), checked, errors).await
            }
        }
    }
    .await;
    s.finish(result).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use coop_core::decision::Choice;

    fn rule(json: &str) -> DecisionRule {
        DecisionRule::parse_json(json).unwrap()
    }

    #[test]
    fn rules_are_quoted_in_words_in_both_languages() {
        let i18n = I18n::new();
        let en = Words::new(&i18n, Lang::En);
        assert_eq!(
            en.rule(&rule(r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#)),
            "Vote: at least two-thirds (2/3) of votes cast (yes and no); quorum half (1/2) of eligible members"
        );
        assert_eq!(
            en.rule(&rule(r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"eligible","quorum":null}"#)),
            "Vote: more than half (1/2) of eligible members; no quorum"
        );
        assert_eq!(en.rule(&rule(r#"{"kind":"vote","threshold":"2/7","base":"cast"}"#)), "Vote: at least 2/7 of votes cast (yes and no); no quorum");
        let consensus = rule(RULE_EXAMPLES[1]);
        let text = en.rule(&consensus);
        assert!(text.starts_with("Consensus: passes with no block; at most 2 stand-asides; quorum half (1/2)"), "{text}");
        assert!(
            text.ends_with("a second round decides by vote, and its result is final: at least three-quarters (3/4) of votes cast (yes and no), no quorum"),
            "{text}"
        );
        assert_eq!(en.rule(&rule(RULE_EXAMPLES[2])), "Consent: passes unless someone objects; no quorum");
        let ar = Words::new(&i18n, Lang::Ar);
        let text = ar.rule(&rule(RULE_EXAMPLES[0]));
        assert!(text.starts_with("تصويت: ما لا يقل عن الثلثين (2/3)"), "{text}");
        assert!(!text.contains("Vote") && !text.contains("quorum"), "{text}");
    }

    #[test]
    fn the_outcome_sentence_is_built_from_the_evaluation() {
        use coop_core::decision::{evaluate, Tally};
        let i18n = I18n::new();
        let en = Words::new(&i18n, Lang::En);
        let r = rule(RULE_EXAMPLES[0]);
        let tally = Tally::new().with(Choice::Yes, 5).with(Choice::No, 1);
        let e = serde_json::to_value(evaluate(&r, 1, &tally, 7, None)).unwrap();
        assert_eq!(en.summary(&e).unwrap(), "passed: 5 of 6 votes cast (yes and no), at least two-thirds (2/3) needed, quorum 4 of 7 met");
        let few = Tally::new().with(Choice::Yes, 2);
        let e = serde_json::to_value(evaluate(&r, 1, &few, 7, None)).unwrap();
        assert_eq!(en.summary(&e).unwrap(), "no quorum: 2 of 2 votes cast (yes and no), at least two-thirds (2/3) needed, quorum 4 of 7 not met (2 took part)");
        let ar = Words::new(&i18n, Lang::Ar);
        let text = ar.summary(&e).unwrap();
        assert!(text.starts_with("لم يكتمل النصاب"), "{text}");
        let c = rule(RULE_EXAMPLES[1]);
        let e = serde_json::to_value(evaluate(&c, 1, &Tally::new().with(Choice::Agree, 3).with(Choice::Block, 1), 4, None)).unwrap();
        assert_eq!(en.summary(&e).unwrap(), "to a second round: 3 agree, 0 standing aside, 1 blocking, at most 2 stand-asides allowed, quorum 2 of 4 met");
    }

    #[test]
    fn every_choice_status_outcome_and_base_has_words() {
        let i18n = I18n::new();
        for lang in Lang::ALL {
            let keys = Choice::ALL
                .iter()
                .map(|c| format!("choice-{}", c.as_str()))
                .chain(coop_core::decision::Status::ALL.iter().map(|st| format!("status-{}", st.as_str())))
                .chain(["passed", "failed", "no_quorum", "blocked", "next_round"].iter().map(|o| format!("outcome-{o}")))
                .chain(coop_core::decision::Base::ALL.iter().map(|b| format!("rule-base-{}", b.as_str())))
                .chain(RESULTS.iter().map(|r| format!("results-{r}")));
            for key in keys {
                assert_ne!(i18n.t(lang, &key, &[]), key, "{key} in {}", lang.code());
            }
        }
    }

    #[test]
    fn datetime_local_values_parse() {
        let dt: jiff::civil::DateTime = "2026-03-01T14:30".parse().unwrap();
        assert_eq!((dt.hour(), dt.minute()), (14, 30));
        let z = dt.to_zoned(jiff::tz::TimeZone::get("Africa/Cairo").unwrap()).unwrap();
        assert_eq!(z.timestamp().to_string(), "2026-03-01T12:30:00Z");
    }
}
