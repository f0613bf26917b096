//! The HTML pages: server-rendered, usable without JavaScript.
//!
//! Why this shape:
//! - Every page is a real `<form method=post>` or a link; htmx only enhances the member search
//!   (it asks for the result table alone while typing; without JavaScript the search button
//!   submits the same form). The Content-Security-Policy forbids inline script and inline
//!   style, so templates carry neither.
//! - Handlers call the `coop-app` use cases with the signed-in actor and nothing else; a
//!   hidden button is cosmetic, the use case decides. Pages that only show a form (new member,
//!   settings) ask the same policy function the use case will ask, so a refused person sees
//!   403 before typing anything.
//! - Every POST carries the session's CSRF token (`csrf_token`) and is checked before anything
//!   else; sign-in and password reset, which have no session, use a double-submit cookie.
//! - After a successful POST the handler redirects (303) and leaves a one-shot message in the
//!   `coop_flash` cookie, translated when the next page is drawn.
//! - A form refused by a use case is drawn again with what the person typed and the message
//!   next to the field at fault (422), or at the top of the form (409 and the like).
//!
//! The shell ([`Shell`]) gathers what every page needs: who is signed in, the language, the
//! co-op's settings (name, time zone, currency) and the journal head for the footer.

mod account;
mod decisions;
mod elections;
mod forms;
mod journal;
mod login;
mod meetings;
mod members;
mod money;
mod pay;
mod projects;
mod settings;
mod work;

use super::auth::{Auth, MaybeAuth, PageAuth};
use super::error::{public_message, status_of};
use super::AppState;
use crate::i18n::{I18n, Lang};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use coop_app::AppError;
use coop_core::member::Role;
use coop_core::CoopSettings;
use forms::FormData;
use minijinja::value::merge_maps;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The one-shot message cookie.
pub const FLASH_COOKIE: &str = "coop_flash";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/reset/{token}", get(login::reset_form).post(login::reset_submit))
        .route("/members", get(members::list))
        .route("/members/new", get(members::new_form).post(members::create))
        .route("/members/{id}", get(members::show))
        .route("/members/{id}/edit", get(members::edit_form).post(members::update))
        .route("/members/{id}/state", post(members::change_state))
        .route("/members/{id}/roles", post(members::set_roles))
        .route("/members/{id}/reset-link", post(members::reset_link))
        .route("/journal", get(journal::list))
        .route("/journal/verify", get(journal::verify))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route("/account/language", post(account::change_language))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/settings", get(settings::form).post(settings::save))
        .route("/decisions", get(decisions::list))
        .route("/decisions/new", get(decisions::new_form).post(decisions::create))
        .route("/decisions/classes", get(decisions::classes).post(decisions::set_class))
        .route("/decisions/elections", get(elections::list).post(elections::create))
        .route("/decisions/elections/{id}", get(elections::show))
        .route("/decisions/elections/{id}/nominate", post(elections::nominate))
        .route("/decisions/elections/{id}/open", post(elections::open))
        .route("/decisions/elections/{id}/ballot", post(elections::cast))
        .route("/decisions/elections/{id}/close", post(elections::close))
        .route("/decisions/elections/{id}/find-ballot", post(elections::find_ballot))
        .route("/decisions/elections/{id}/blt", get(elections::blt))
        .route("/decisions/{id}", get(decisions::show))
        .route("/decisions/{id}/vote", post(decisions::vote))
        .route("/decisions/{id}/comments", post(decisions::comment))
        .route("/decisions/{id}/close", post(decisions::close))
        .route("/decisions/{id}/find-ballot", post(decisions::find_ballot))
        .route("/meetings", get(meetings::list).post(meetings::schedule))
        .route("/meetings/{id}", get(meetings::show))
        .route("/meetings/{id}/items", post(meetings::add_item))
        .route("/meetings/{id}/suggest", post(meetings::suggest_item))
        .route("/meetings/{id}/items/{item}/accept", post(meetings::accept_item))
        .route("/meetings/{id}/items/{item}/move", post(meetings::move_item))
        .route("/meetings/{id}/items/{item}/notes", post(meetings::notes))
        .route("/meetings/{id}/publish", post(meetings::publish))
        .route("/meetings/{id}/roles", post(meetings::roles))
        .route("/meetings/{id}/attendance", post(meetings::attendance))
        .route("/meetings/{id}/actions", post(meetings::add_action))
        .route("/meetings/{id}/actions/{action}/done", post(meetings::action_done))
        .route("/meetings/{id}/circulate", post(meetings::circulate))
        .route("/meetings/{id}/reopen", post(meetings::reopen))
        .route("/meetings/{id}/approve", post(meetings::approve))
        .route("/meetings/{id}/errata", post(meetings::erratum))
        .route("/meetings/{id}/propose-approval", post(meetings::propose_approval))
        .route("/meetings/{id}/export.md", get(meetings::export_md))
        .route("/meetings/{id}/export.html", get(meetings::export_html))
        .route("/meetings/{id}/export.pdf", get(meetings::export_pdf))
        .route("/meetings/{id}/export.ics", get(meetings::export_ics))
        .route("/calendar/{file}", get(meetings::calendar_feed))
        .route("/account/calendar", post(meetings::new_calendar_token))
        .route("/work", get(work::summary))
        .route("/work/timesheet", get(work::timesheet).post(work::save))
        .route("/work/projects", get(projects::list).post(projects::add))
        .route("/work/projects/rates", post(projects::set_rate))
        .route("/work/projects/{id}", post(projects::update))
        .route("/work/pay", get(pay::show))
        .route("/work/pay/{month}/approve", post(pay::approve))
        .route("/work/pay/{month}/csv", get(pay::csv))
        .route("/money", get(money::overview))
        .route("/money/members/{id}", get(money::statement))
        .route("/money/{year}", get(money::year))
        .route("/money/{year}/commit", post(money::commit))
        .route("/money/open", post(money::open_year))
        .route("/money/{year}/surplus", post(money::enter_surplus))
        .route("/money/{year}/import", post(money::import_surplus))
        .route("/money/{year}/close", post(money::close_year))
        .route("/money/{year}/notices/{file}", get(money::notice))
        .route("/policies", get(coming_soon_policies))
        .fallback(not_found)
}

/// The templates, compiled into the binary so that it runs from any directory.
const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../../templates/layout.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("reset.html", include_str!("../../templates/reset.html")),
    ("dashboard.html", include_str!("../../templates/dashboard.html")),
    ("members.html", include_str!("../../templates/members.html")),
    ("members_results.html", include_str!("../../templates/members_results.html")),
    ("member_form.html", include_str!("../../templates/member_form.html")),
    ("member.html", include_str!("../../templates/member.html")),
    ("member_edit.html", include_str!("../../templates/member_edit.html")),
    ("journal.html", include_str!("../../templates/journal.html")),
    ("account.html", include_str!("../../templates/account.html")),
    ("settings.html", include_str!("../../templates/settings.html")),
    ("decisions.html", include_str!("../../templates/decisions.html")),
    ("proposal.html", include_str!("../../templates/proposal.html")),
    ("proposal_form.html", include_str!("../../templates/proposal_form.html")),
    ("classes.html", include_str!("../../templates/classes.html")),
    ("elections.html", include_str!("../../templates/elections.html")),
    ("election.html", include_str!("../../templates/election.html")),
    ("coming_soon.html", include_str!("../../templates/coming_soon.html")),
    ("work.html", include_str!("../../templates/work.html")),
    ("timesheet.html", include_str!("../../templates/timesheet.html")),
    ("pay.html", include_str!("../../templates/pay.html")),
    ("projects.html", include_str!("../../templates/projects.html")),
    ("meetings.html", include_str!("../../templates/meetings.html")),
    ("meeting.html", include_str!("../../templates/meeting.html")),
    ("money.html", include_str!("../../templates/money.html")),
    ("allocation.html", include_str!("../../templates/allocation.html")),
    ("capital.html", include_str!("../../templates/capital.html")),
    ("error.html", include_str!("../../templates/error.html")),
];

pub fn templates(i18n: Arc<I18n>) -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source).unwrap_or_else(|e| panic!("template {name} does not parse: {e:#}"));
    }
    crate::i18n::register(&mut env, i18n);
    // Proposal texts are Markdown; the filter's output is safe HTML (see web::markdown).
    env.add_filter("markdown", |text: &str| minijinja::Value::from_safe_string(super::markdown::to_safe_html(text)));
    env
}

/// What went wrong while drawing a page: a use case's refusal or a bad form token.
#[derive(Debug)]
pub enum Problem {
    App(AppError),
    Csrf,
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        Problem::App(e)
    }
}

pub type PageResult = Result<Response, Problem>;

/// A one-shot message for the next page: a message key and its arguments, translated when
/// the page is drawn. It also carries the secrets shown once (a new API token, a reset link):
/// the cookie is HttpOnly, lives five minutes at most and is cleared by the page that shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    /// `ok` or `error`.
    pub kind: String,
    pub key: String,
    #[serde(default)]
    pub args: BTreeMap<String, serde_json::Value>,
}

impl Flash {
    pub fn ok(key: &str) -> Flash {
        Flash { kind: "ok".into(), key: key.into(), args: BTreeMap::new() }
    }

    pub fn arg(mut self, name: &str, value: impl Into<serde_json::Value>) -> Flash {
        self.args.insert(name.into(), value.into());
        self
    }

    fn encode(&self) -> String {
        hex::encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(text: &str) -> Option<Flash> {
        serde_json::from_slice(&hex::decode(text).ok()?).ok()
    }

    /// The message in `lang`, with its arguments.
    fn text(&self, i18n: &I18n, lang: Lang) -> String {
        let args: Vec<(&str, fluent_bundle::FluentValue)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    serde_json::Value::Number(n) if n.is_i64() => fluent_bundle::FluentValue::from(n.as_i64().unwrap_or_default()),
                    serde_json::Value::String(s) => fluent_bundle::FluentValue::from(s.clone()),
                    other => fluent_bundle::FluentValue::from(other.to_string()),
                };
                (k.as_str(), value)
            })
            .collect();
        i18n.t(lang, &self.key, &args)
    }
}

/// A message next to a form field. Messages from the use cases are English; on a page in
/// another language they carry `lang="en"` so that screen readers switch voice.
#[derive(Clone, Debug, Serialize)]
pub struct Msg {
    pub text: String,
    pub lang: Option<&'static str>,
}

/// Field errors of a form drawn again: field name -> message. The key `_form` holds a message
/// about the whole form (a conflict such as a taken email).
pub type FieldErrors = BTreeMap<String, Msg>;

/// The key of a message about the whole form.
pub const FORM: &str = "_form";

/// What every page needs, gathered once per request.
#[derive(Clone)]
pub struct Shell {
    pub state: AppState,
    pub auth: Option<Auth>,
    pub lang: Lang,
    /// `None` only before `coop init`.
    pub settings: Option<CoopSettings>,
    headers: HeaderMap,
}

impl Shell {
    async fn build(parts: &Parts, state: &AppState, auth: Option<Auth>) -> Shell {
        let settings = state.app.settings().await.ok();
        let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let member_pref = auth.as_ref().and_then(|a| a.member()).and_then(|m| m.language.clone());
        // The member's choice, else the browser's, else (for a client that sends no
        // Accept-Language at all) the co-op's default language.
        let pref = member_pref.or_else(|| if accept.is_none() { settings.as_ref().map(|s| s.language.clone()) } else { None });
        let lang = state.i18n.negotiate(pref.as_deref(), accept);
        Shell { state: state.clone(), auth, lang, settings, headers: parts.headers.clone() }
    }

    pub fn app(&self) -> &coop_app::App {
        &self.state.app
    }

    /// The signed-in caller (always present behind [`SignedIn`]).
    pub fn auth(&self) -> Result<&Auth, Problem> {
        self.auth.as_ref().ok_or(Problem::App(AppError::Unauthenticated))
    }

    pub fn actor(&self) -> Result<&coop_app::Actor, Problem> {
        Ok(&self.auth()?.actor)
    }

    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.lang, key, &[])
    }

    /// `[value, label]` pairs for a select or checkboxes: each value's label is the message
    /// `prefix` + value.
    pub fn options(&self, values: &[&str], prefix: &str) -> Vec<(String, String)> {
        values.iter().map(|v| (v.to_string(), self.t(&format!("{prefix}{v}")))).collect()
    }

    /// The language choices of a profile: the co-op's default, then each language.
    pub fn language_options(&self) -> Vec<(String, String)> {
        let mut out = vec![(String::new(), self.t("language-default"))];
        out.extend(Lang::ALL.iter().map(|l| (l.code().to_string(), self.t(&format!("language-{}", l.code())))));
        out
    }

    /// A message from a use case (English).
    pub fn app_msg(&self, text: impl Into<String>) -> Msg {
        Msg { text: text.into(), lang: (self.lang != Lang::En).then_some("en") }
    }

    /// A message of ours, translated.
    pub fn msg(&self, key: &str) -> Msg {
        Msg { text: self.t(key), lang: None }
    }

    /// Sorts a use case's refusal of a form: a bad field (422) or a conflict (409) is shown on
    /// the form drawn again, with the status to send; anything else goes to the error page.
    pub fn form_failure(&self, e: AppError, errors: &mut FieldErrors) -> Result<StatusCode, Problem> {
        let status = status_of(&e);
        match e {
            AppError::Invalid { field, message } => {
                errors.insert(field, self.app_msg(message));
                Ok(status)
            }
            AppError::Conflict(message) => {
                errors.insert(FORM.to_string(), self.app_msg(message));
                Ok(status)
            }
            other => Err(Problem::App(other)),
        }
    }

    /// Records a form value that could not be read.
    pub fn bad_field(&self, bad: forms::BadField, errors: &mut FieldErrors) {
        errors.insert(bad.field.to_string(), self.msg(bad.key));
    }

    /// Refuses a form whose `csrf_token` is not the session's.
    pub fn check_csrf(&self, form: &FormData) -> Result<(), Problem> {
        self.auth()?.check_csrf(form.get("csrf_token")).map_err(|_| Problem::Csrf)
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        CookieJar::from_headers(&self.headers).get(name).map(|c| c.value().to_string())
    }

    /// Where the browser reached us, for links handed to someone else (reset links).
    pub fn base_url(&self) -> String {
        let host = self.header(header::HOST).filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic())).unwrap_or("localhost");
        let scheme = if self.state.secure_cookies { "https" } else { "http" };
        format!("{scheme}://{host}")
    }

    /// Whether htmx asked for a fragment (and not for a whole page to restore history).
    pub fn wants_fragment(&self) -> bool {
        self.header(header::HeaderName::from_static("hx-request")) == Some("true")
            && self.header(header::HeaderName::from_static("hx-history-restore-request")) != Some("true")
    }

    /// The context every template sees.
    async fn base_context(&self) -> Value {
        let head = match self.state.app.journal_head().await {
            Ok((_, hash)) => hash,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the journal head");
                String::new()
            }
        };
        let user = self.auth.as_ref().and_then(|a| a.member()).map(|m| {
            context! { id => m.id, name => m.name.clone(), is_admin => m.roles.contains(&Role::Admin) }
        });
        let s = self.settings.as_ref();
        context! {
            lang => self.lang.code(),
            dir => self.lang.dir(),
            tz => s.map(|s| s.timezone.clone()).unwrap_or_else(|| "UTC".into()),
            currency => s.map(|s| s.currency.clone()).unwrap_or_else(|| "USD".into()),
            coop_name => s.map(|s| s.name.clone()).unwrap_or_default(),
            user => user,
            csrf => self.auth.as_ref().and_then(|a| a.csrf.clone()).unwrap_or_default(),
            head_hash => head,
            // Messages that come from the use cases are in English; mark them so on a page
            // in another language (screen readers switch voice).
            foreign => self.lang != Lang::En,
        }
    }

    /// Draws a whole page inside the layout. `ctx` is merged over the shell's context.
    pub async fn render(&self, status: StatusCode, template: &str, ctx: Value) -> Response {
        let flash = self.cookie(FLASH_COOKIE).as_deref().and_then(Flash::decode);
        let flash_ctx = flash.as_ref().map(|f| context! { kind => f.kind.clone(), text => f.text(&self.state.i18n, self.lang) });
        let base = self.base_context().await;
        let full = merge_maps([base, ctx, context! { flash => flash_ctx }]);
        let mut response = self.draw(status, template, full);
        if self.cookie(FLASH_COOKIE).is_some() {
            let gone = Cookie::build((FLASH_COOKIE, "")).path("/").http_only(true).max_age(cookie::time::Duration::ZERO).build();
            if let Ok(v) = HeaderValue::from_str(&gone.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        response
    }

    /// Draws a fragment (for htmx): no layout, and the flash stays for the next whole page.
    pub async fn render_fragment(&self, template: &str, ctx: Value) -> Response {
        let base = self.base_context().await;
        let mut response = self.draw(StatusCode::OK, template, merge_maps([base, ctx]));
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("HX-Request"));
        response
    }

    fn draw(&self, status: StatusCode, template: &str, ctx: Value) -> Response {
        let body = self.state.templates.get_template(template).and_then(|t| t.render(ctx));
        match body {
            Ok(html) => {
                let mut r = (status, Html(html)).into_response();
                // Pages show personal data and one-time secrets: never keep them in a cache.
                r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                r
            }
            Err(e) => {
                tracing::error!(template, error = format!("{e:#}"), "template failed");
                (StatusCode::INTERNAL_SERVER_ERROR, self.t("error-internal")).into_response()
            }
        }
    }

    /// A 303 to `to`, leaving `flash` for the page there.
    pub fn redirect(&self, to: &str, flash: Option<Flash>) -> Response {
        let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
        if let Some(f) = flash {
            let c = Cookie::build((FLASH_COOKIE, f.encode()))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(self.state.secure_cookies)
                .max_age(cookie::time::Duration::seconds(300))
                .build();
            if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        r
    }

    /// The error page for a problem, with the status the contract gives it.
    pub async fn error_page(&self, problem: Problem) -> Response {
        let (status, key, detail) = match &problem {
            Problem::Csrf => (StatusCode::FORBIDDEN, "error-csrf", None),
            Problem::App(e) => {
                let status = status_of(e);
                let key = match e {
                    AppError::Forbidden(_) => "error-forbidden",
                    AppError::NotFound(_) => "error-not-found",
                    AppError::Invalid { .. } => "error-invalid",
                    AppError::Unauthenticated => "login-title",
                    AppError::Throttled { .. } | AppError::Conflict(_) | AppError::NotInitialised => "error-title",
                    AppError::Store(_) => "error-internal",
                };
                let detail = (!matches!(e, AppError::Store(_))).then(|| public_message(e));
                (status, key, detail)
            }
        };
        let ctx = context! { message => self.t(key), detail => detail, active => "" };
        self.render(status, "error.html", ctx).await
    }

    /// The response for a handler's result: the page, or the error page.
    pub async fn finish(&self, result: PageResult) -> Response {
        match result {
            Ok(r) => r,
            Err(Problem::App(AppError::Unauthenticated)) => self.redirect("/login", None),
            Err(p) => self.error_page(p).await,
        }
    }
}

/// A signed-in page visitor; anyone else is sent to `/login?next=...`.
pub struct SignedIn(pub Shell);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let PageAuth(auth) = PageAuth::from_request_parts(parts, state).await?;
        Ok(SignedIn(Shell::build(parts, state, Some(auth)).await))
    }
}

/// Anyone: the sign-in and reset pages, the 404 page.
pub struct Visitor(pub Shell);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let MaybeAuth(auth) = MaybeAuth::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        Ok(Visitor(Shell::build(parts, state, auth).await))
    }
}

/// Shortens a hash for a table cell (the whole hash stays in the `title`).
pub fn short_hash(hash: &str) -> String {
    hash.chars().take(12).collect()
}

async fn dashboard(SignedIn(s): SignedIn) -> Response {
    let result = async {
        let dash = s.app().dashboard(s.actor()?).await?;
        let names = members::actor_names(&s).await?;
        // The signed-in member's open meeting actions, soonest due first (overdue flagged).
        let my_actions = match s.actor()?.member_id() {
            Some(me) => s.app().open_actions(s.actor()?, Some(me)).await?,
            None => Vec::new(),
        };
        let ctx = context! {
            active => "dashboard",
            dash => Value::from_serialize(&dash),
            names => names,
            my_actions => Value::from_serialize(&my_actions),
            overdue_count => my_actions.iter().filter(|a| a.overdue).count(),
        };
        Ok(s.render(StatusCode::OK, "dashboard.html", ctx).await)
    }
    .await;
    s.finish(result).await
}

async fn coming_soon(s: Shell, area: &str) -> Response {
    let ctx = context! { active => area, title_key => format!("nav-{area}") };
    s.render(StatusCode::OK, "coming_soon.html", ctx).await
}

async fn coming_soon_policies(SignedIn(s): SignedIn) -> Response {
    coming_soon(s, "policies").await
}

async fn not_found(Visitor(s): Visitor) -> Response {
    s.error_page(Problem::App(AppError::NotFound("page".into()))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_has_no_inline_script_or_style() {
        let env = templates(Arc::new(I18n::new()));
        for (name, source) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
            assert!(!source.contains("style="), "{name} has a style attribute");
            assert!(!source.contains("<style"), "{name} has a style element");
            for (i, _) in source.match_indices("<script") {
                let rest = &source[i..];
                let open_end = rest.find('>').expect("script tag closes");
                assert!(rest[..open_end].contains("src="), "{name} has an inline script");
                assert!(rest[open_end + 1..].starts_with("</script>"), "{name} has a script body");
            }
        }
    }

    #[test]
    fn flash_round_trips() {
        let f = Flash::ok("member-added").arg("name", "Sam <b>");
        let back = Flash::decode(&f.encode()).unwrap();
        assert_eq!(back.key, "member-added");
        assert_eq!(back.text(&I18n::new(), Lang::En), "Sam <b> was added.");
        assert!(Flash::decode("zz").is_none());
    }
}
