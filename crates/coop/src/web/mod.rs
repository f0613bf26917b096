//! The web server: the JSON API under `/api/v1` and the HTML pages, on axum.
//!
//! [`router`] assembles everything; [`serve`] binds and runs it. Both the API and the pages
//! call `coop-app` use cases with the [`auth::Auth`] actor; nothing here decides who may do
//! what beyond "is anyone signed in".

pub mod api;
pub mod auth;
mod charts;
pub mod error;
pub mod markdown;
pub mod pages;

use crate::i18n::I18n;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use coop_app::App;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Options for `coop serve` and `coop demo`.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// Printed after the address (the demo prints its login here).
    pub banner: Option<String>,
    /// Mark cookies `Secure` (behind TLS). Also set when `COOP_SECURE_COOKIES=1`.
    pub secure_cookies: bool,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub i18n: Arc<I18n>,
    pub templates: Arc<minijinja::Environment<'static>>,
    pub secure_cookies: bool,
}

/// Largest request body accepted (form posts and JSON); file imports will get their own limit.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A request that takes longer than this is answered with 408 and abandoned.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The Content-Security-Policy: only our own scripts and styles, no inline script, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

impl AppState {
    pub fn new(app: App, secure_cookies: bool) -> AppState {
        let i18n = Arc::new(I18n::new());
        let templates = Arc::new(pages::templates(i18n.clone()));
        AppState { app, i18n, templates, secure_cookies }
    }
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let security = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/style.css", get(style_css))
        .route("/static/htmx.min.js", get(htmx_js))
        .nest("/api/v1", api::routes())
        .merge(pages::routes())
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(security)
}

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    if state.app.healthy().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}

async fn style_css() -> impl IntoResponse {
    asset("text/css; charset=utf-8", include_str!("../../static/style.css"))
}

async fn htmx_js() -> impl IntoResponse {
    asset("text/javascript; charset=utf-8", include_str!("../../static/htmx.min.js"))
}

/// Binds `addr`, prints `coop is serving <name> at http://ADDR/` (the real port when `addr`
/// asks for port 0), and serves until Ctrl-C or SIGTERM.
pub async fn serve(app: App, addr: SocketAddr, opts: ServeOptions) -> anyhow::Result<()> {
    let name = app.settings().await?.name;
    let secure = opts.secure_cookies || std::env::var("COOP_SECURE_COOKIES").is_ok_and(|v| v == "1");
    let state = AppState::new(app.clone(), secure);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr()?;
    {
        // Scripts read this line to learn the port; a closed stdout must not stop the server.
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "coop is serving {name} at http://{bound}/");
        if let Some(banner) = &opts.banner {
            let _ = writeln!(out, "{banner}");
        }
        let _ = out.flush();
    }
    let closer = tokio::spawn(close_proposals_at_their_deadline(app.clone()));
    let service = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await?;
    closer.abort();
    app.close().await;
    Ok(())
}

/// Members hear about a proposal this long before it closes.
const CLOSING_SOON: Duration = Duration::from_secs(24 * 3600);
/// How often the server looks for proposals whose voting time has ended.
const CLOSER_INTERVAL: Duration = Duration::from_secs(10);

/// Closes proposals and elections at their deadline, so an outcome never waits for someone to look.
async fn close_proposals_at_their_deadline(app: App) {
    let mut tick = tokio::time::interval(CLOSER_INTERVAL);
    let mut announced = std::collections::HashSet::new();
    loop {
        tick.tick().await;
        if let Err(e) = app.announce_closing_soon(CLOSING_SOON, &mut announced).await {
            tracing::warn!(error = %e, "announcing proposals that close soon failed; will retry");
        }
        match app.close_due_proposals().await {
            Ok(closed) if !closed.is_empty() => tracing::info!(?closed, "closed proposals at their deadline"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "closing due proposals failed; will retry"),
        }
        match app.close_due_elections().await {
            Ok(closed) if !closed.is_empty() => tracing::info!(?closed, "closed elections at their deadline"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "closing due elections failed; will retry"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
