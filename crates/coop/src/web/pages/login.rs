//! Signing in and out, and the one-time password reset page.
//!
//! Neither the sign-in form nor the reset form has a session yet, so their CSRF defence is a
//! double-submit cookie (`coop_login_csrf`, SameSite=Strict): the form's hidden token must
//! equal the cookie, which another site can neither read nor set.

use super::forms::{local_next, FormData};
use super::{FieldErrors, Flash, PageResult, Problem, Shell, SignedIn, Visitor};
use crate::web::auth::{self, ClientAddr, LOGIN_CSRF_COOKIE};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum_extra::extract::cookie::Cookie;
use coop_app::AppError;
use minijinja::context;

/// The double-submit token for a form without a session: the browser's, or a new one.
fn login_token(s: &Shell) -> (String, Option<Cookie<'static>>) {
    match s.cookie(LOGIN_CSRF_COOKIE) {
        Some(t) if t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()) => (t, None),
        _ => {
            let t = auth::new_login_csrf();
            (t.clone(), Some(auth::login_csrf_cookie(t, s.state.secure_cookies)))
        }
    }
}

fn set_cookie(response: &mut Response, cookie: Cookie<'_>) {
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Whether the form's token matches the double-submit cookie.
fn login_csrf_ok(s: &Shell, form: &FormData) -> bool {
    match s.cookie(LOGIN_CSRF_COOKIE) {
        Some(cookie) => !cookie.is_empty() && auth::constant_time_eq(cookie.as_bytes(), form.get("csrf_token").as_bytes()),
        None => false,
    }
}

/// Draws the sign-in form with an optional message (`error`) and the email typed.
async fn login_page(s: &Shell, status: StatusCode, next: &str, email: &str, error: Option<String>, retry_after: Option<u64>) -> Response {
    let (token, cookie) = login_token(s);
    let ctx = context! { active => "", next => next, email => email, error => error, login_csrf => token };
    let mut r = s.render(status, "login.html", ctx).await;
    if let Some(c) = cookie {
        set_cookie(&mut r, c);
    }
    if let Some(secs) = retry_after {
        r.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    r
}

pub async fn form(Visitor(s): Visitor, RawQuery(q): RawQuery) -> Response {
    let q = FormData::from_query(q.as_deref());
    let next = local_next(q.get("next"));
    if s.auth.is_some() {
        return s.redirect(&next, None);
    }
    login_page(&s, StatusCode::OK, &next, "", None, None).await
}

pub async fn submit(Visitor(s): Visitor, ClientAddr(addr): ClientAddr, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let next = local_next(form.get("next"));
    let email = form.get("email").trim().to_string();
    if !login_csrf_ok(&s, &form) {
        return login_page(&s, StatusCode::FORBIDDEN, &next, &email, Some(s.t("error-csrf")), None).await;
    }
    match s.app().login(&email, form.get("password"), &addr).await {
        Ok(session) => {
            let now = s.app().clock().now();
            let max_age = session.expires_at.duration_since(now).as_secs().max(1);
            let mut r = s.redirect(&next, None);
            set_cookie(&mut r, auth::session_cookie(session.token, s.state.secure_cookies, max_age));
            r
        }
        Err(AppError::Unauthenticated) => login_page(&s, StatusCode::UNAUTHORIZED, &next, &email, Some(s.t("login-failed")), None).await,
        Err(AppError::Throttled { retry_after_secs }) => {
            let secs = i64::try_from(retry_after_secs).unwrap_or(i64::MAX);
            let text = s.state.i18n.t(s.lang, "login-throttled", &[("seconds", secs.into())]);
            login_page(&s, StatusCode::TOO_MANY_REQUESTS, &next, &email, Some(text), Some(retry_after_secs)).await
        }
        Err(AppError::Forbidden(_)) => login_page(&s, StatusCode::FORBIDDEN, &next, &email, Some(s.t("error-forbidden")), None).await,
        Err(e) => s.error_page(Problem::App(e)).await,
    }
}

pub async fn logout(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        if let Some(token) = s.auth()?.session_token.clone() {
            s.app().logout(&token).await?;
        }
        let mut r = s.redirect("/login", None);
        set_cookie(&mut r, auth::clear_session_cookie(s.state.secure_cookies));
        Ok(r)
    }
    .await;
    s.finish(result).await
}

async fn reset_page(s: &Shell, status: StatusCode, token: &str, usable: bool, errors: FieldErrors) -> Response {
    let (csrf, cookie) = login_token(s);
    let ctx = context! { active => "", token => token, usable => usable, errors => errors, login_csrf => csrf };
    let mut r = s.render(status, "reset.html", ctx).await;
    if let Some(c) = cookie {
        set_cookie(&mut r, c);
    }
    r
}

pub async fn reset_form(Visitor(s): Visitor, Path(token): Path<String>) -> Response {
    match s.app().reset_usable(&token).await {
        Ok(true) => reset_page(&s, StatusCode::OK, &token, true, FieldErrors::new()).await,
        Ok(false) => reset_page(&s, StatusCode::NOT_FOUND, &token, false, FieldErrors::new()).await,
        Err(e) => s.error_page(Problem::App(e)).await,
    }
}

pub async fn reset_submit(Visitor(s): Visitor, Path(token): Path<String>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    if !login_csrf_ok(&s, &form) {
        return s.error_page(Problem::Csrf).await;
    }
    match s.app().reset_password(&token, form.get("password")).await {
        Ok(()) => s.redirect("/login", Some(Flash::ok("reset-done"))),
        Err(AppError::Invalid { field, .. }) if field == "token" => reset_page(&s, StatusCode::NOT_FOUND, &token, false, FieldErrors::new()).await,
        Err(AppError::Invalid { field, message }) => {
            let errors = FieldErrors::from([(field, s.app_msg(message))]);
            reset_page(&s, StatusCode::UNPROCESSABLE_ENTITY, &token, true, errors).await
        }
        Err(e) => s.error_page(Problem::App(e)).await,
    }
}
