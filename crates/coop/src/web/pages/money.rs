//! Money: `/money` (the fiscal years, the surplus and the collective reserve over the years as
//! a chart with the same numbers in the table, the member accounts, the equity check),
//! `/money/{year}` (a committed year's sealed allocation, or an open year's what-if and, for
//! admins, the commit form), `/money/{year}/notices/{member}.{html|pdf}` (a member's written
//! notice of allocation) and `/money/members/{id}` (a member's capital account statement).
//!
//! Why this shape:
//! - The what-if is a GET form (`reserve`, `cash`, `basis`): reading it changes nothing and the
//!   address can be shared. The commit form repeats, in hidden fields, the figures of the
//!   preview drawn above it, so what an admin commits is what they saw; the use case still
//!   refuses figures that differ from an adopted policy, a year that is not over, and a second
//!   commit.
//! - Who may see what is the use cases' decision: the fiscal years, allocations and the equity
//!   check are open books (every current participant); a capital account is its member's and
//!   the admins', and so is a notice. The member accounts table
//!   lists every account for admins and the visitor's own account for a member.
//! - Amounts are integer cents, shown with two decimals and the co-op's currency (the `money`
//!   filter in the templates, [`format_money`] in the chart).
//! - Admins keep the years here too: `POST /money/open` opens a fiscal year, and on
//!   `/money/{year}` `POST .../surplus` enters the net surplus (a decimal, negative: a loss),
//!   `POST .../import` takes the accountant's income statement pasted as CSV (axum's multipart
//!   is not enabled, so a textarea rather than a file field; the use case reads it all or
//!   nothing and names a bad line), and `POST .../close` closes the year. Each checks the CSRF
//!   token first; a refusal draws the page again with the reason beside its field and changes
//!   nothing; success is a 303 back to the year. The forms are drawn for admins only, and the
//!   use cases refuse anyone else (403).

use super::forms::FormData;
use super::{FieldErrors, Flash, PageResult, Problem, Shell, SignedIn, FORM};
use crate::i18n::format_money;
use crate::web::charts::{self, ChartText, YearFigures};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use coop_app::members::MemberFilter;
use coop_app::surplus::{parse_basis, AllocationView, RunInput};
use coop_app::AppError;
use coop_core::member::Role;
use coop_core::money::Money;
use coop_core::patronage::{Basis, Notice, Percent};
use minijinja::{context, Value};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct YearRow {
    year: i64,
    starts: String,
    ends: String,
    status: String,
    surplus_cents: Option<i64>,
    reserve_cents: i64,
    committed: bool,
}

#[derive(Serialize)]
struct AccountRow {
    id: i64,
    name: String,
    email: String,
    balance_cents: i64,
}

#[derive(Serialize)]
struct MemberResult {
    id: i64,
    name: String,
    email: String,
    patronage: String,
    allocation_cents: i64,
    cash_cents: i64,
    retained_cents: i64,
    /// Whether the visitor may open this member's notice.
    notice: bool,
}

#[derive(Serialize)]
struct StatementRow {
    date: String,
    kind: String,
    amount_cents: i64,
    reference: String,
    balance_cents: i64,
}

fn is_admin(s: &Shell) -> Result<bool, Problem> {
    Ok(s.actor()?.has_role(Role::Admin))
}

/// Every member's name by id (the use case lists them for any current participant).
async fn names(s: &Shell) -> Result<BTreeMap<i64, String>, Problem> {
    Ok(s.app().list_members(s.actor()?, &MemberFilter::default()).await?.into_iter().map(|m| (m.id, m.name)).collect())
}

fn currency(s: &Shell) -> String {
    s.settings.as_ref().map(|c| c.currency.clone()).unwrap_or_else(|| "USD".into())
}

/// A year in a path: a number, else "not found".
fn year_of(text: &str) -> Result<i64, Problem> {
    text.parse().map_err(|_| Problem::App(AppError::NotFound(format!("fiscal year {text:?}"))))
}

/// `GET /money`.
pub async fn overview(SignedIn(s): SignedIn) -> Response {
    let result = overview_page(&s, BTreeMap::new(), FieldErrors::new(), StatusCode::OK).await;
    s.finish(result).await
}

/// The fiscal year an admin would open next: the one after the latest, else the one running today.
async fn next_year(s: &Shell, latest: Option<i64>) -> Result<i64, Problem> {
    if let Some(y) = latest {
        return Ok(y + 1);
    }
    let today = s.app().today().await?;
    let year = i64::from(today.year());
    match s.settings.as_ref().map(|c| coop_app::surplus::fiscal_bounds(c, year)) {
        Some(Ok((starts, _))) if starts > today => Ok(year - 1),
        _ => Ok(year),
    }
}

/// Draws `/money`; `typed` and `errors` from a refused form.
async fn overview_page(s: &Shell, mut typed: BTreeMap<String, String>, errors: FieldErrors, status: StatusCode) -> PageResult {
    let s = s.clone();
    {
        let actor = s.actor()?;
        let app = s.app();
        let years = app.fiscal_years(actor).await?;
        let reserve = app.reserve(actor).await?;
        let equity = app.equity(actor).await?;
        let names = names(&s).await?;
        // The reserve's balance at each year's end.
        let reserve_at = |ends: &str| reserve.entries.iter().filter(|e| e.date.as_str() <= ends).map(|e| e.amount_cents).sum::<i64>();
        let rows: Vec<YearRow> = years
            .iter()
            .map(|y| YearRow {
                year: y.year,
                starts: y.starts.clone(),
                ends: y.ends.clone(),
                status: y.status.clone(),
                surplus_cents: y.surplus_cents,
                reserve_cents: reserve_at(&y.ends),
                committed: y.committed,
            })
            .collect();
        let cur = currency(&s);
        let figures: Vec<YearFigures> = rows
            .iter()
            .rev()
            .map(|r| YearFigures {
                label: r.year.to_string(),
                surplus: r.surplus_cents,
                reserve: r.reserve_cents,
                surplus_text: r.surplus_cents.map(|c| format_money(s.lang, c, &cur)).unwrap_or_else(|| s.t("money-not-entered")),
                reserve_text: format_money(s.lang, r.reserve_cents, &cur),
            })
            .collect();
        let chart = charts::surplus_and_reserve_by_year(
            "chart-surplus",
            &ChartText { title: s.t("money-chart-title"), desc: s.t("money-chart-desc"), unit: cur.clone() },
            &s.t("money-chart-legend"),
            &figures,
        );
        // Every account for admins; a member's own account for a member.
        let ids: Vec<i64> = if is_admin(&s)? { names.keys().copied().collect() } else { actor.member_id().into_iter().collect() };
        let mut accounts = Vec::with_capacity(ids.len());
        for id in ids {
            let c = app.capital(actor, id).await?;
            accounts.push(AccountRow { id, name: names.get(&id).cloned().unwrap_or_default(), email: c.email, balance_cents: c.balance_cents });
        }
        let admin = is_admin(&s)?;
        if admin && !typed.contains_key("year") {
            typed.insert("year".into(), next_year(&s, years.iter().map(|y| y.year).max()).await?.to_string());
        }
        let ctx = context! {
            active => "money",
            years => rows,
            chart => Value::from_safe_string(chart),
            accounts => accounts,
            all_accounts => admin,
            reserve_cents => reserve.balance_cents,
            equity => Value::from_serialize(&equity),
            can_manage => admin,
            form => typed,
            errors => errors,
        };
        Ok(s.render(status, "money.html", ctx).await)
    }
}

/// `POST /money/open`: opens fiscal year `year`.
pub async fn open_year(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        coop_app::policy::manage_surplus(actor)?;
        let typed = form.values();
        let mut errors = FieldErrors::new();
        let Some(year) = form.opt("year").and_then(|t| t.parse::<i64>().ok()) else {
            errors.insert("year".into(), s.msg("money-open-year-invalid"));
            return overview_page(&s, typed, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        };
        match s.app().open_fiscal_year(actor, year).await {
            Ok(_) => Ok(s.redirect(&format!("/money/{year}"), Some(Flash::ok("money-year-opened").arg("year", year)))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                // A conflict (the year is open already) belongs to the one field of the form.
                if let Some(m) = errors.remove(FORM) {
                    errors.insert("year".into(), m);
                }
                overview_page(&s, typed, errors, status).await
            }
        }
    }
    .await;
    s.finish(result).await
}

/// A basis as the what-if form writes it (`hours`, `wages`, `weighted`, `mix:H/W`).
fn basis_param(b: &Basis) -> String {
    match b {
        Basis::Hours => "hours".into(),
        Basis::Wages => "wages".into(),
        Basis::Weighted => "weighted".into(),
        Basis::Mix { hours, wages } => format!("mix:{hours}/{wages}"),
    }
}

/// The what-if figures as typed, and as read (a field that does not read goes to `errors`).
struct Figures {
    typed: BTreeMap<String, String>,
    reserve: Option<Percent>,
    cash: Option<Percent>,
    basis: Option<Basis>,
}

fn read_figures(s: &Shell, form: &FormData, errors: &mut FieldErrors) -> Figures {
    let mut percent = |field: &str| match form.opt(field) {
        None => None,
        Some(t) => match Percent::parse(t) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.insert(field.to_string(), s.app_msg(e.to_string()));
                None
            }
        },
    };
    let reserve = percent("reserve");
    let cash = percent("cash");
    let basis = match form.opt("basis") {
        None => None,
        Some(t) => match parse_basis(t) {
            Ok(b) => Some(b),
            Err(e) => {
                let mut sink = FieldErrors::new();
                let _ = s.form_failure(e, &mut sink);
                errors.extend(sink);
                None
            }
        },
    };
    let typed = ["reserve", "cash", "basis"].iter().map(|k| (k.to_string(), form.get(k).trim().to_string())).collect();
    Figures { typed, reserve, cash, basis }
}

fn member_results(view: &AllocationView, names: &BTreeMap<i64, String>, admin: bool, me: Option<i64>) -> Vec<MemberResult> {
    view.allocation
        .members
        .iter()
        .map(|m| MemberResult {
            id: m.member_id,
            name: names.get(&m.member_id).cloned().unwrap_or_default(),
            email: m.email.clone(),
            patronage: m.patronage.clone(),
            allocation_cents: m.allocation_cents,
            cash_cents: m.cash_cents,
            retained_cents: m.retained_cents,
            // A notice is its member's and the admins' (the use case decides; this hides links).
            notice: view.committed && (admin || me == Some(m.member_id)),
        })
        .collect()
}

/// Draws `/money/{year}` with the what-if `figures`; `errors` from a refused commit or a field.
async fn year_page(s: &Shell, year: i64, figures: Figures, mut errors: FieldErrors, mut status: StatusCode) -> PageResult {
    let actor = s.actor()?;
    let app = s.app();
    let admin = is_admin(s)?;
    let names = names(s).await?;
    let fiscal = match app.fiscal_year(actor, year).await {
        Ok(y) => Some(y),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let committed = match app.allocation(actor, year).await {
        Ok(v) => Some(v),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let view = match committed {
        Some(v) => Some(v),
        None if errors.keys().any(|k| k != FORM) => None,
        None => {
            // With nothing typed, a page that asks for the figures (no policy adopted yet) is
            // an answer, not a refusal: 200. Figures typed and refused are a 422.
            let nothing_typed = figures.typed.values().all(|v| v.is_empty());
            let input = RunInput { year, surplus: None, reserve: figures.reserve, cash: figures.cash, basis: figures.basis, commit: false };
            match app.patronage_run(actor, input).await {
                Ok(v) => Some(v),
                Err(e) => {
                    let asks = nothing_typed && matches!(e, AppError::Invalid { .. });
                    let st = s.form_failure(e, &mut errors)?;
                    if status == StatusCode::OK && !asks {
                        status = st;
                    }
                    None
                }
            }
        }
    };
    // A refusal about something the form has no field for (the year, its surplus) is said at
    // the top of the form.
    let others: Vec<String> = errors.keys().filter(|k| !["reserve", "cash", "basis", "amount", "csv", FORM].contains(&k.as_str())).cloned().collect();
    for k in others {
        if let Some(m) = errors.remove(&k) {
            errors.entry(FORM.to_string()).or_insert(m);
        }
    }
    let loss = view.as_ref().is_some_and(|v| v.allocation.surplus_cents < 0);
    // The figures the preview used: these fill the what-if form when nothing was typed and go
    // into the commit form.
    let used = view.as_ref().map(|v| {
        let a = &v.policy.allocation;
        let reserve = if loss { a.loss_reserve_share } else { a.reserve };
        context! { reserve => reserve.to_string(), cash => a.cash.to_string(), basis => basis_param(&a.basis) }
    });
    let mut form = figures.typed.clone();
    if let Some(v) = &view {
        let a = &v.policy.allocation;
        let defaults =
            [("reserve", if loss { a.loss_reserve_share } else { a.reserve }.to_string()), ("cash", a.cash.to_string()), ("basis", basis_param(&a.basis))];
        for (k, d) in defaults {
            if form.get(k).is_none_or(|t| t.is_empty()) {
                form.insert(k.to_string(), d);
            }
        }
    }
    // The surplus form shows the entered surplus until something else is typed.
    if let Some(c) = fiscal.as_ref().and_then(|f| f.surplus_cents) {
        form.entry("amount".to_string()).or_insert_with(|| Money(c).to_decimal());
    }
    let closed = fiscal.as_ref().is_some_and(|f| f.status == "closed" || f.committed);
    let me = s.actor()?.member_id();
    let results = view.as_ref().map(|v| member_results(v, &names, admin, me)).unwrap_or_default();
    let cash_total: i64 = view.as_ref().map(|v| v.allocation.members.iter().map(|m| m.cash_cents).sum()).unwrap_or(0);
    let retained_total: i64 = view.as_ref().map(|v| v.allocation.members.iter().map(|m| m.retained_cents).sum()).unwrap_or(0);
    let ctx = context! {
        active => "money",
        year => year,
        fiscal => fiscal.as_ref().map(Value::from_serialize),
        view => view.as_ref().map(|v| context! {
            committed => v.committed,
            starts => v.starts.clone(),
            ends => v.ends.clone(),
            surplus_cents => v.allocation.surplus_cents,
            reserve_cents => v.allocation.reserve_cents,
            community_cents => v.allocation.community_cents,
            pool_cents => v.allocation.pool_cents,
            qualified => v.allocation.notice == Notice::Qualified,
            warnings => v.allocation.warnings.clone(),
            cash_by_month => Value::from_serialize(&v.cash_by_month),
            instalments => Value::from_serialize(&v.instalments),
            policy_version => v.policy_version,
            committed_at => v.committed_at.clone(),
            sealed_hash => v.sealed_hash.clone(),
        }),
        loss => loss,
        members => results,
        cash_total => cash_total,
        retained_total => retained_total,
        form => form,
        used => used,
        can_commit => admin && view.as_ref().is_some_and(|v| !v.committed),
        can_enter => admin && !closed && !view.as_ref().is_some_and(|v| v.committed),
        can_close => admin && fiscal.as_ref().is_some_and(|f| f.status == "open" && !f.committed),
        errors => errors,
    };
    Ok(s.render(status, "allocation.html", ctx).await)
}

/// `GET /money/{year}?reserve=&cash=&basis=`: the sealed allocation, or the what-if.
pub async fn year(SignedIn(s): SignedIn, Path(year): Path<String>, RawQuery(q): RawQuery) -> Response {
    let result: PageResult = async {
        let year = year_of(&year)?;
        let q = FormData::from_query(q.as_deref());
        let mut errors = FieldErrors::new();
        let figures = read_figures(&s, &q, &mut errors);
        let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        year_page(&s, year, figures, errors, status).await
    }
    .await;
    s.finish(result).await
}

/// `POST /money/{year}/commit`: posts the previewed figures, seals the allocation, closes the year.
pub async fn commit(SignedIn(s): SignedIn, Path(year): Path<String>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let year = year_of(&year)?;
        let mut errors = FieldErrors::new();
        let figures = read_figures(&s, &form, &mut errors);
        if !errors.is_empty() {
            return year_page(&s, year, figures, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        let input = RunInput { year, surplus: None, reserve: figures.reserve, cash: figures.cash, basis: figures.basis, commit: true };
        match s.app().patronage_run(s.actor()?, input).await {
            Ok(_) => Ok(s.redirect(&format!("/money/{year}"), Some(Flash::ok("money-committed").arg("year", year)))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                year_page(&s, year, figures, errors, status).await
            }
        }
    }
    .await;
    s.finish(result).await
}

/// What a surplus form sent, kept to draw the year again: the typed amount or the pasted CSV.
fn entry_figures(form: &FormData) -> Figures {
    let mut typed: BTreeMap<String, String> = ["reserve", "cash", "basis"].iter().map(|k| (k.to_string(), String::new())).collect();
    let sent = form.values();
    for k in ["amount", "csv"] {
        if let Some(v) = sent.get(k) {
            typed.insert(k.to_string(), v.clone());
        }
    }
    Figures { typed, reserve: None, cash: None, basis: None }
}

/// A surplus form's refusal: a bad field beside its field (`field`), a conflict at the top.
async fn refused(s: &Shell, year: i64, form: &FormData, field: &str, e: AppError) -> PageResult {
    let mut errors = FieldErrors::new();
    let e = match e {
        AppError::Invalid { field: f, message } if f != "year" => AppError::Invalid { field: field.to_string(), message },
        other => other,
    };
    let status = s.form_failure(e, &mut errors)?;
    year_page(s, year, entry_figures(form), errors, status).await
}

/// `POST /money/{year}/surplus`: enters the year's net surplus, `amount` (negative: a loss).
pub async fn enter_surplus(SignedIn(s): SignedIn, Path(year): Path<String>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let year = year_of(&year)?;
        let actor = s.actor()?;
        coop_app::policy::manage_surplus(actor)?;
        let amount = match Money::parse(form.get("amount")) {
            Ok(m) => m,
            Err(_) => {
                let mut errors = FieldErrors::new();
                errors.insert("amount".into(), s.msg("money-surplus-invalid"));
                return year_page(&s, year, entry_figures(&form), errors, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        };
        match s.app().set_fiscal_surplus(actor, year, amount).await {
            Ok(_) => Ok(s.redirect(&format!("/money/{year}"), Some(Flash::ok("money-surplus-entered").arg("year", year)))),
            Err(e) => refused(&s, year, &form, "amount", e).await,
        }
    }
    .await;
    s.finish(result).await
}

/// `POST /money/{year}/import`: the year's net surplus from the income statement pasted as CSV.
pub async fn import_surplus(SignedIn(s): SignedIn, Path(year): Path<String>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let year = year_of(&year)?;
        let actor = s.actor()?;
        coop_app::policy::manage_surplus(actor)?;
        match s.app().import_fiscal_surplus(actor, year, form.get("csv")).await {
            Ok(v) => {
                let net = format_money(s.lang, v.net_cents, &currency(&s));
                let flash = Flash::ok("money-surplus-imported").arg("year", year).arg("lines", v.lines).arg("net", net);
                Ok(s.redirect(&format!("/money/{year}"), Some(flash)))
            }
            Err(e) => refused(&s, year, &form, "csv", e).await,
        }
    }
    .await;
    s.finish(result).await
}

/// `POST /money/{year}/close`: closes a year whose surplus is entered, after its last day.
pub async fn close_year(SignedIn(s): SignedIn, Path(year): Path<String>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let year = year_of(&year)?;
        match s.app().close_fiscal_year(s.actor()?, year).await {
            Ok(_) => Ok(s.redirect(&format!("/money/{year}"), Some(Flash::ok("money-year-closed").arg("year", year)))),
            Err(e) => refused(&s, year, &form, FORM, e).await,
        }
    }
    .await;
    s.finish(result).await
}

/// `GET /money/{year}/notices/{member}.html` or `.pdf`.
pub async fn notice(SignedIn(s): SignedIn, Path((year, file)): Path<(String, String)>) -> Response {
    let result: PageResult = async {
        let year = year_of(&year)?;
        let not_found = || Problem::App(AppError::NotFound(format!("notice {file:?}")));
        let (id, ext) = file.rsplit_once('.').ok_or_else(not_found)?;
        let id: i64 = id.parse().map_err(|_| not_found())?;
        if ext != "html" && ext != "pdf" {
            return Err(not_found());
        }
        let doc = s.app().allocation_notice(s.actor()?, year, id).await?;
        let (kind, body) = if ext == "pdf" { ("application/pdf", doc.pdf) } else { ("text/html; charset=utf-8", doc.html.into_bytes()) };
        let headers = [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"notice-{year}-{id}.{ext}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ];
        Ok((headers, body).into_response())
    }
    .await;
    s.finish(result).await
}

/// `GET /money/members/{id}`: a member's capital account statement.
pub async fn statement(SignedIn(s): SignedIn, Path(id): Path<String>) -> Response {
    let result: PageResult = async {
        let id: i64 = id.parse().map_err(|_| Problem::App(AppError::NotFound(format!("member {id:?}"))))?;
        let view = s.app().capital(s.actor()?, id).await?;
        let name = names(&s).await?.remove(&id).unwrap_or_default();
        let mut running = 0i64;
        let rows: Vec<StatementRow> = view
            .entries
            .iter()
            .map(|e| {
                running += e.amount_cents;
                StatementRow {
                    date: e.date.clone(),
                    kind: e.kind.clone(),
                    amount_cents: e.amount_cents,
                    reference: e.reference.clone(),
                    balance_cents: running,
                }
            })
            .collect();
        let ctx = context! {
            active => "money",
            member_id => id,
            name => name,
            email => view.email.clone(),
            balance_cents => view.balance_cents,
            entries => rows,
            buy_in => view.buy_in.as_ref().map(Value::from_serialize),
            payments => Value::from_serialize(&view.payments),
        };
        Ok(s.render(StatusCode::OK, "capital.html", ctx).await)
    }
    .await;
    s.finish(result).await
}
