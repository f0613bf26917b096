//! Pay: `/work/pay?month=YYYY-MM` shows the month's pay under the system in force (approved runs
//! as approved, other months as a draft computed from the hours as they stand), every member's
//! lines, the pay-ratio check, and for admins the approval form; an approved month has its CSV
//! for the payroll provider at `/work/pay/{month}/csv`.
//!
//! Reading a month changes nothing; approval is a POST with the CSRF token and is refused by
//! the use case for anyone but an admin.

use super::forms::FormData;
use super::{FieldErrors, Flash, PageResult, Shell, SignedIn, FORM};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use coop_app::pay::{Month, PayRunView};
use coop_app::AppError;
use coop_core::member::Role;
use coop_core::money::Money;
use minijinja::context;
use serde::Serialize;

#[derive(Serialize)]
struct LineRow {
    label: String,
    hours: String,
    rate: String,
    amount: String,
}

#[derive(Serialize)]
struct MemberRow {
    name: String,
    email: String,
    paid_hours: String,
    gross: String,
    adjustments: String,
    has_adjustments: bool,
    total: String,
    lines: Vec<LineRow>,
}

#[derive(Serialize)]
struct RunRow {
    month: String,
    status: String,
    total: String,
    members: usize,
}

fn text_of(v: &serde_json::Value, key: &str) -> String {
    v.get(key).and_then(|x| x.as_str()).unwrap_or_default().to_string()
}

fn member_rows(run: &PayRunView) -> Vec<MemberRow> {
    run.members
        .iter()
        .map(|m| {
            let adjustments: i64 = m.adjustments.iter().map(|a| a.amount_cents).sum();
            MemberRow {
                name: m.name.clone(),
                email: m.email.clone(),
                paid_hours: m.paid_hours.clone(),
                gross: m.gross.clone(),
                adjustments: Money(adjustments).to_decimal(),
                has_adjustments: !m.adjustments.is_empty(),
                total: m.total.clone(),
                lines: m
                    .lines
                    .iter()
                    .map(|l| LineRow { label: text_of(l, "label"), hours: text_of(l, "minutes"), rate: text_of(l, "rate"), amount: text_of(l, "amount") })
                    .chain(m.adjustments.iter().map(|a| LineRow {
                        label: format!("Correction to {}", a.month),
                        hours: String::new(),
                        rate: String::new(),
                        amount: Money(a.amount_cents).to_decimal(),
                    }))
                    .collect(),
            }
        })
        .collect()
}

async fn pay_page(s: &Shell, month: Month, status: StatusCode, errors: FieldErrors) -> PageResult {
    let actor = s.actor()?;
    let app = s.app();
    let systems = app.pay_systems(actor).await?;
    let runs = app.pay_runs(actor).await?;
    let run = match app.pay_run(actor, month).await {
        Ok(run) => Some(run),
        // No system in force that month: the page says so.
        Err(AppError::Conflict(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let in_force = systems.iter().find(|v| v.status == "adopted" && v.effective_from <= month.first_day().to_string());
    let ratio = run.as_ref().map(|r| {
        context! {
            text => r.ratio.get("ratio").and_then(|x| x.as_str()).unwrap_or("-"),
            limit => r.ratio.get("limit").and_then(|x| x.as_str()),
            within => r.ratio.get("within_limit").and_then(|x| x.as_bool()).unwrap_or(true),
        }
    });
    let ctx = context! {
        active => "work",
        month => month.text(),
        system => in_force.map(|v| context! { version => v.version, from => v.effective_from.clone(), json => v.system.to_json(), proposal => v.proposal_id }),
        pending => systems.iter().filter(|v| v.status == "pending").map(|v| context! { version => v.version, from => v.effective_from.clone(), proposal => v.proposal_id }).collect::<Vec<_>>(),
        run => run.as_ref().map(|r| context! {
            status => r.status.clone(),
            total => r.total.clone(),
            bonus_note => r.bonus_note.clone(),
            sealed_hash => r.sealed_hash.clone(),
            approved_at => r.approved_at.clone(),
            approved_by => r.approved_by.clone(),
            version => r.pay_system_version,
        }),
        members => run.as_ref().map(member_rows).unwrap_or_default(),
        ratio => ratio,
        runs => runs.iter().map(|r| RunRow { month: r.month.clone(), status: r.status.clone(), total: r.total.clone(), members: r.members.len() }).collect::<Vec<_>>(),
        can_approve => actor.has_role(Role::Admin) && run.as_ref().is_some_and(|r| r.status == "draft"),
        form_error => errors.get(FORM).cloned(),
    };
    Ok(s.render(status, "pay.html", ctx).await)
}

/// The month asked for, or this month when it is missing or does not parse.
async fn wanted_month(s: &Shell, text: Option<&str>) -> Result<Month, super::Problem> {
    match text.map(Month::parse) {
        Some(Ok(m)) => Ok(m),
        _ => Ok(Month::of(s.app().today().await?)),
    }
}

/// `GET /work/pay?month=YYYY-MM`.
pub async fn show(SignedIn(s): SignedIn, RawQuery(q): RawQuery) -> Response {
    let result: PageResult = async {
        let q = FormData::from_query(q.as_deref());
        let month = wanted_month(&s, q.opt("month")).await?;
        pay_page(&s, month, StatusCode::OK, FieldErrors::new()).await
    }
    .await;
    s.finish(result).await
}

/// `POST /work/pay/{month}/approve`.
pub async fn approve(SignedIn(s): SignedIn, Path(month): Path<String>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let month = Month::parse(&month)?;
        match s.app().approve_pay_run(s.actor()?, month).await {
            Ok(_) => Ok(s.redirect(&format!("/work/pay?month={}", month.text()), Some(Flash::ok("pay-approved")))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                pay_page(&s, month, status, errors).await
            }
        }
    }
    .await;
    s.finish(result).await
}

/// `GET /work/pay/{month}/csv`: the approved run for the payroll provider.
pub async fn csv(SignedIn(s): SignedIn, Path(month): Path<String>) -> Response {
    let result: PageResult = async {
        let month = Month::parse(&month)?;
        let text = s.app().pay_run_csv(s.actor()?, month).await?;
        let headers = [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"pay-{}.csv\"", month.text())),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ];
        Ok((headers, text).into_response())
    }
    .await;
    s.finish(result).await
}
