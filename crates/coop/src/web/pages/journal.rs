//! The journal: every change, newest first, with filters, paging and verification.

use super::forms::{self, FormData};
use super::{short_hash, PageResult, Shell, SignedIn};
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Response;
use coop_app::JournalFilter;
use minijinja::context;

/// Entries on one page.
pub const PAGE_SIZE: i64 = 50;

async fn journal_page(s: &Shell, query: &FormData, verify: bool) -> PageResult {
    let actor = s.actor()?;
    let action = query.opt("action").map(str::to_string);
    let who = query.opt("actor").map(str::to_string);
    let before = query.opt("before").and_then(|b| b.parse::<i64>().ok()).filter(|b| *b > 0);
    let filter = JournalFilter { action_prefix: action.clone(), actor: who.clone(), before_seq: before, limit: PAGE_SIZE, ..JournalFilter::default() };
    let entries = s.app().journal_entries(actor, &filter).await?;
    let names = super::members::actor_names(s).await?;
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            context! {
                seq => e.seq,
                at => e.at.clone(),
                actor => e.actor.clone(),
                actor_name => names.get(&e.actor).cloned(),
                action => e.action.clone(),
                subject => e.subject.clone(),
                subject_name => names.get(&e.subject).cloned(),
                subject_link => e.subject.strip_prefix("member:").map(|id| format!("/members/{id}")),
                hash => e.hash.clone(),
                short => short_hash(&e.hash),
            }
        })
        .collect();
    // A full page may have older entries behind it; the link pages back from the oldest shown.
    let older = (entries.len() as i64 == PAGE_SIZE).then(|| entries.iter().map(|e| e.seq).min()).flatten().map(|oldest| {
        let q = forms::query(&[("action", action.clone().unwrap_or_default()), ("actor", who.clone().unwrap_or_default()), ("before", oldest.to_string())]);
        format!("/journal?{q}")
    });
    let newest = before.map(|_| {
        let q = forms::query(&[("action", action.clone().unwrap_or_default()), ("actor", who.clone().unwrap_or_default())]);
        if q.is_empty() {
            "/journal".to_string()
        } else {
            format!("/journal?{q}")
        }
    });
    let report = if verify { Some(s.app().verify_journal(actor).await?) } else { None };
    let mut actors: Vec<(String, String)> = names.into_iter().collect();
    actors.sort_by_key(|(_, name)| name.to_lowercase());
    let ctx = context! {
        active => "journal",
        rows => rows,
        action => action.unwrap_or_default(),
        actor => who.unwrap_or_default(),
        actors => actors,
        older => older,
        newest => newest,
        verified => report.as_ref().map(|r| context! {
            ok => r.ok(),
            entries => r.entries,
            head => r.head.clone(),
            fault => r.fault.clone(),
        }),
        fault_lang => (s.lang != crate::i18n::Lang::En).then_some("en"),
    };
    Ok(s.render(StatusCode::OK, "journal.html", ctx).await)
}

pub async fn list(SignedIn(s): SignedIn, RawQuery(q): RawQuery) -> Response {
    let query = FormData::from_query(q.as_deref());
    let result = journal_page(&s, &query, false).await;
    s.finish(result).await
}

/// Verifying only reads, so a GET does it; the button is a GET form.
pub async fn verify(SignedIn(s): SignedIn, RawQuery(q): RawQuery) -> Response {
    let query = FormData::from_query(q.as_deref());
    let result = journal_page(&s, &query, true).await;
    s.finish(result).await
}
