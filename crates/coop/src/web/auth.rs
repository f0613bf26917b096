//! Who is calling: a session cookie (pages and API) or an `Authorization: Bearer` token (API).
//!
//! These extractors only establish identity; what the actor may do is decided by the
//! use case in `coop-app`.

use super::error::ApiError;
use super::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use coop_app::{Actor, AppError};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "coop_session";
/// Double-submit token for the sign-in form, which has no session yet.
pub const LOGIN_CSRF_COOKIE: &str = "coop_login_csrf";

/// A signed-in caller.
#[derive(Clone, Debug)]
pub struct Auth {
    pub actor: Actor,
    /// The session token when signed in by cookie (absent for bearer tokens).
    pub session_token: Option<String>,
    /// The session's CSRF token, which every form must send back.
    pub csrf: Option<String>,
}

impl Auth {
    /// Refuses a form whose CSRF token does not match the session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        match &self.csrf {
            Some(expected) if constant_time_eq(expected.as_bytes(), submitted.as_bytes()) => Ok(()),
            _ => Err(AppError::Forbidden("the form's security token is missing or expired; reload the page and try again".into())),
        }
    }

    pub fn member(&self) -> Option<&coop_app::MemberActor> {
        match &self.actor {
            Actor::Member(m) => Some(m),
            Actor::Operator | Actor::System => None,
        }
    }
}

/// Compares secrets without revealing through timing where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Resolves the caller from a bearer token or the session cookie; `None` if neither is valid.
pub async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<Auth>, AppError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let token = value.strip_prefix("Bearer ").ok_or(AppError::Unauthenticated)?.trim();
        return Ok(state.app.token_actor(token).await?.map(|actor| Auth { actor, session_token: None, csrf: None }));
    }
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    Ok(state.app.session(&token).await?.map(|(actor, csrf)| Auth { actor, session_token: Some(token), csrf: Some(csrf) }))
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        resolve(parts, state).await?.ok_or(ApiError(AppError::Unauthenticated))
    }
}

/// A signed-in caller of a page; anyone else is sent to the sign-in page.
#[derive(Clone, Debug)]
pub struct PageAuth(pub Auth);

/// The rejection of [`PageAuth`]: a redirect to `/login?next=...`.
pub struct ToLogin(Uri);

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        let next = self.0.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let target = format!("/login?next={}", url_escape(next));
        Redirect::to(&target).into_response()
    }
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl FromRequestParts<AppState> for PageAuth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await {
            Ok(Some(auth)) => Ok(PageAuth(auth)),
            Ok(None) | Err(AppError::Unauthenticated) => Err(ToLogin(parts.uri.clone()).into_response()),
            Err(e) => Err(ApiError(e).into_response()),
        }
    }
}

/// The caller if signed in, else nobody (for the sign-in page itself).
#[derive(Clone, Debug)]
pub struct MaybeAuth(pub Option<Auth>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await {
            Ok(a) => Ok(MaybeAuth(a)),
            Err(AppError::Unauthenticated) => Ok(MaybeAuth(None)),
            Err(e) => Err(ApiError(e)),
        }
    }
}

/// The client's address, for sign-in throttling. Proxies are not trusted: behind one, every
/// client shares the proxy's address (set up the proxy's own limits then).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into());
        Ok(ClientAddr(addr))
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure behind TLS, ending with the session.
pub fn session_cookie(token: String, secure: bool, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
}

/// A cookie that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, "")).path("/").http_only(true).same_site(SameSite::Lax).secure(secure).max_age(cookie::time::Duration::ZERO).build()
}

/// A new random token for the sign-in form's double-submit cookie.
pub fn new_login_csrf() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

pub fn login_csrf_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((LOGIN_CSRF_COOKIE, token)).path("/").http_only(true).same_site(SameSite::Strict).secure(secure).build()
}
