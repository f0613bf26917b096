//! Work: the summary page (`/work`: two charts, the reports as tables, a year picker) and the
//! weekly timesheet (`/work/timesheet`: a grid of projects by days).
//!
//! Why this shape:
//! - The timesheet is one plain `<form>` with one number input per cell, in row order, so Tab
//!   walks across a project's week and then to the next project; each input is labelled (for
//!   screen readers) with its project and day. Locked days (an approved pay run) are printed as
//!   text, not inputs, so they are neither sent nor editable.
//! - The form is `novalidate`: `step="0.25"` makes the arrow keys move by a quarter of an hour,
//!   but a cell may hold any whole number of minutes (20 minutes show as 0.33), which the
//!   browser's own step check would refuse to submit. The server reads every cell with the same
//!   parser as the CLI (`7.5`, `7,5`, `7:30`, `7h30m`) and answers with the message beside the form.
//! - The use case sets cell totals and ignores unchanged cells, so the form sends every cell.
//! - Charts are SVG strings from [`crate::web::charts`]; the same numbers are in the tables.

use super::forms::{self, FormData};
use super::{FieldErrors, Flash, PageResult, Problem, Shell, SignedIn, FORM};
use crate::i18n::format_hours;
use crate::web::charts::{self, BalanceBar, ChartText, MemberSeries};
use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Response;
use coop_app::members::MemberFilter;
use coop_app::timesheet::{monday_of, CellInput, WeekSheet};
use coop_app::AppError;
use coop_core::hours::{parse_hours, Minutes};
use coop_core::member::Role;
use jiff::civil::Date;
use jiff::ToSpan;
use minijinja::{context, Value};
use serde::Serialize;
use std::collections::BTreeMap;

/// Hours for a table cell: "7.50", and "" for nothing.
fn hours_or_blank(m: Minutes) -> String {
    if m == Minutes::ZERO {
        String::new()
    } else {
        format_hours(m.get())
    }
}

fn month_names(s: &Shell) -> Vec<String> {
    (1..=12).map(|m| s.t(&format!("work-month-{m}"))).collect()
}

#[derive(Serialize)]
struct TableRow {
    name: String,
    cells: Vec<String>,
    total: String,
}

#[derive(Serialize)]
struct NamedRow {
    name: String,
    hours: String,
}

#[derive(Serialize)]
struct BalanceRow {
    name: String,
    declared: String,
    expected: String,
    worked: String,
    balance: String,
    behind: bool,
}

/// `/work?year=YYYY`: the charts and reports of one year.
pub async fn summary(SignedIn(s): SignedIn, RawQuery(q): RawQuery) -> Response {
    let result: PageResult = async {
        let q = FormData::from_query(q.as_deref());
        let actor = s.actor()?;
        let app = s.app();
        let years = app.hours_years(actor).await?;
        let this = app.today().await?.year();
        // A year that does not parse shows the current one rather than an error.
        let year = q.opt("year").and_then(|y| y.parse::<i16>().ok()).filter(|y| (1900..=9999).contains(y)).unwrap_or(this);
        let by_member = app.hours_by_member_month(actor, year).await?;
        let by_project = app.hours_by_project(actor, year).await?;
        let by_kind = app.hours_by_kind(actor, year).await?;
        let by_month = app.hours_by_month(actor, year).await?;
        let balances = app.hours_balances(actor, year).await?;
        let months = month_names(&s);
        let unit = s.t("work-hours-unit");

        let series: Vec<MemberSeries> = by_member.iter().map(|m| MemberSeries { name: m.name.clone(), months: m.months.iter().map(|x| x.get()).collect() }).collect();
        let hours_chart = charts::hours_per_member_month(
            "chart-hours",
            &ChartText { title: s.t("work-chart-hours-title"), desc: s.t("work-chart-hours-desc"), unit: unit.clone() },
            &months,
            &series,
        );
        let bars: Vec<BalanceBar> = balances.iter().map(|b| BalanceBar { name: b.name.clone(), balance: b.balance.balance.get() }).collect();
        let balance_chart = charts::balance_against_commitment(
            "chart-balance",
            &ChartText { title: s.t("work-chart-balance-title"), desc: s.t("work-chart-balance-desc"), unit },
            &s.t("work-chart-balance-legend"),
            &bars,
        );

        let member_rows: Vec<TableRow> = by_member
            .iter()
            .map(|m| TableRow { name: m.name.clone(), cells: m.months.iter().map(|x| hours_or_blank(*x)).collect(), total: format_hours(m.total.get()) })
            .collect();
        let none = s.t("work-none-name");
        let named = |rows: Vec<coop_app::timesheet::NamedTotal>| -> Vec<NamedRow> {
            rows.into_iter().map(|r| NamedRow { name: r.name.unwrap_or_else(|| none.clone()), hours: format_hours(r.minutes.get()) }).collect()
        };
        let month_rows: Vec<NamedRow> = months.iter().zip(&by_month).map(|(m, x)| NamedRow { name: m.clone(), hours: format_hours(x.get()) }).collect();
        let year_total: Minutes = by_month.iter().copied().sum();
        let balance_rows: Vec<BalanceRow> = balances
            .iter()
            .map(|b| BalanceRow {
                name: b.name.clone(),
                declared: format_hours(b.balance.declared.get()),
                expected: format_hours(b.balance.expected_to_date.get()),
                worked: format_hours(b.balance.worked.get()),
                balance: format!("{}{}", if b.balance.balance.is_negative() { "" } else { "+" }, format_hours(b.balance.balance.get())),
                behind: b.balance.balance.is_negative(),
            })
            .collect();
        let mut year_options = years.clone();
        if !year_options.contains(&year) {
            year_options.push(year);
            year_options.sort_unstable_by(|a, b| b.cmp(a));
        }
        let ctx = context! {
            active => "work",
            year => year,
            years => year_options,
            months => months,
            hours_chart => Value::from_safe_string(hours_chart),
            balance_chart => Value::from_safe_string(balance_chart),
            member_rows => member_rows,
            project_rows => named(by_project),
            kind_rows => named(by_kind),
            month_rows => month_rows,
            year_total => format_hours(year_total.get()),
            balance_rows => balance_rows,
            can_log => actor.member_id().is_some(),
        };
        Ok(s.render(StatusCode::OK, "work.html", ctx).await)
    }
    .await;
    s.finish(result).await
}

/// One cell of the grid as the template draws it.
#[derive(Serialize)]
struct GridCell {
    /// The input's name and id (`c-ROW-DAY`).
    name: String,
    value: String,
    locked: bool,
    /// Part of the cell came from an import (the hint under the grid explains).
    imported: bool,
    error: Option<super::Msg>,
}

#[derive(Serialize)]
struct GridRow {
    /// The project's name as sent back (`p-ROW`); "" for no project.
    project: String,
    /// The name shown.
    label: String,
    cells: Vec<GridCell>,
    total: String,
}

#[derive(Serialize)]
struct GridDay {
    date: String,
    weekday: String,
    locked: bool,
    total: String,
}

/// What the page was asked for: whose week, which week.
struct Wanted {
    member_id: i64,
    monday: Date,
}

async fn wanted(s: &Shell, q: &FormData) -> Result<Wanted, Problem> {
    let own = s.actor()?.member_id();
    let member_id = q.opt("member").and_then(|m| m.parse::<i64>().ok()).or(own).ok_or(Problem::App(AppError::Unauthenticated))?;
    let today = s.app().today().await?;
    // A week that does not parse shows this week rather than an error.
    let day = q.opt("week").and_then(|w| coop_core::time::parse_date(w).ok()).unwrap_or(today);
    Ok(Wanted { member_id, monday: monday_of(day) })
}

fn week_link(member_id: i64, own: Option<i64>, monday: Date) -> String {
    let mut pairs = vec![("week", monday.to_string())];
    if own != Some(member_id) {
        pairs.push(("member", member_id.to_string()));
    }
    format!("/work/timesheet?{}", forms::query(&pairs))
}

/// Draws the grid of `sheet`, with `typed` values (cell name -> text) over the stored ones.
async fn grid_page(s: &Shell, sheet: &WeekSheet, status: StatusCode, typed: &FormData, errors: FieldErrors) -> PageResult {
    let actor = s.actor()?;
    let own = actor.member_id();
    let is_admin = actor.has_role(Role::Admin);
    let names = if is_admin {
        s.app().list_members(actor, &MemberFilter::default()).await?.into_iter().map(|m| (m.id.to_string(), m.name)).collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let member_name = match names.iter().find(|(id, _)| *id == sheet.member_id.to_string()) {
        Some((_, n)) => n.clone(),
        None => s.auth()?.member().map(|m| m.name.clone()).unwrap_or_default(),
    };
    // Rows that were sent, by project name, so a form drawn again keeps what was typed.
    let mut sent: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..200 {
        let key = format!("p-{i}");
        if typed.all(&key).is_empty() {
            break;
        }
        sent.insert(typed.get(&key).to_lowercase(), i);
    }
    let none = s.t("work-no-project");
    let mut rows = Vec::with_capacity(sheet.rows.len());
    for (r, row) in sheet.rows.iter().enumerate() {
        let project = row.project.clone().unwrap_or_default();
        let from = sent.get(&project.to_lowercase()).copied();
        let cells = row
            .cells
            .iter()
            .enumerate()
            .map(|(d, c)| {
                let name = format!("c-{r}-{d}");
                let value = match from {
                    Some(i) if !typed.all(&format!("c-{i}-{d}")).is_empty() => typed.get(&format!("c-{i}-{d}")).to_string(),
                    _ => hours_or_blank(c.minutes),
                };
                let error = errors.get(&name).cloned();
                GridCell { name, value, locked: sheet.days[d].locked, imported: c.imported > Minutes::ZERO, error }
            })
            .collect();
        rows.push(GridRow { label: row.project.clone().unwrap_or_else(|| none.clone()), project, cells, total: hours_or_blank(row.total) });
    }
    let weekday_keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let days: Vec<GridDay> = sheet
        .days
        .iter()
        .zip(weekday_keys)
        .map(|(d, k)| GridDay { date: d.date.to_string(), weekday: s.t(&format!("work-day-{k}")), locked: d.locked, total: format_hours(d.total.get()) })
        .collect();
    // A project the member has no row for yet can be added on an extra row.
    let others: Vec<String> = sheet.projects.iter().filter(|p| !sheet.rows.iter().any(|r| r.project.as_deref().map(str::to_lowercase) == Some(p.to_lowercase()))).cloned().collect();
    let new_cells: Vec<GridCell> = (0..7)
        .map(|d| {
            let name = format!("c-new-{d}");
            GridCell { value: typed.get(&name).to_string(), error: errors.get(&name).cloned(), locked: sheet.days[d].locked, imported: false, name }
        })
        .collect();
    let prev = sheet.monday.checked_sub(7.days()).unwrap_or(sheet.monday);
    let next = sheet.monday.checked_add(7.days()).unwrap_or(sheet.monday);
    let this_week = monday_of(s.app().today().await?);
    let ctx = context! {
        active => "work",
        member_id => sheet.member_id,
        member_name => member_name,
        own => own == Some(sheet.member_id),
        monday => sheet.monday.to_string(),
        sunday => sheet.days[6].date.to_string(),
        days => days,
        rows => rows,
        week_total => format_hours(sheet.total.get()),
        any_locked => sheet.days.iter().any(|d| d.locked),
        any_imported => sheet.rows.iter().any(|r| r.cells.iter().any(|c| c.imported > Minutes::ZERO)),
        others => others,
        new_project => typed.get("p-new"),
        new_cells => new_cells,
        prev_link => week_link(sheet.member_id, own, prev),
        next_link => week_link(sheet.member_id, own, next),
        this_link => week_link(sheet.member_id, own, this_week),
        is_this_week => this_week == sheet.monday,
        member_options => names,
        errors => errors,
    };
    Ok(s.render(status, "timesheet.html", ctx).await)
}

/// `/work/timesheet?week=YYYY-MM-DD[&member=ID]`: a member's week.
pub async fn timesheet(SignedIn(s): SignedIn, RawQuery(q): RawQuery) -> Response {
    let result: PageResult = async {
        let q = FormData::from_query(q.as_deref());
        let w = wanted(&s, &q).await?;
        let sheet = s.app().week_sheet(s.actor()?, w.member_id, w.monday).await?;
        grid_page(&s, &sheet, StatusCode::OK, &FormData::default(), FieldErrors::new()).await
    }
    .await;
    s.finish(result).await
}

/// Reads one cell: empty is zero; otherwise any shape the CLI takes.
fn cell_minutes(s: &Shell, form: &FormData, name: &str, errors: &mut FieldErrors) -> Option<Minutes> {
    let text = form.get(name).trim();
    if text.is_empty() {
        return Some(Minutes::ZERO);
    }
    match parse_hours(text) {
        Ok(m) => Some(m),
        Err(e) => {
            errors.insert(name.to_string(), s.app_msg(e.to_string()));
            None
        }
    }
}

/// `POST /work/timesheet`: saves the week and goes back to it with a message.
pub async fn save(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        let w = wanted(&s, &form).await?;
        let mut errors = FieldErrors::new();
        let mut cells = Vec::new();
        let day = |d: i64| w.monday.checked_add(d.days()).unwrap_or(w.monday);
        for r in 0..200 {
            let key = format!("p-{r}");
            if form.all(&key).is_empty() {
                break;
            }
            let project = form.opt(&key).map(str::to_string);
            for d in 0..7 {
                let name = format!("c-{r}-{d}");
                // Locked days have no input: nothing sent, nothing changed.
                if form.all(&name).is_empty() {
                    continue;
                }
                if let Some(minutes) = cell_minutes(&s, &form, &name, &mut errors) {
                    cells.push(CellInput { project: project.clone(), date: day(d), minutes });
                }
            }
        }
        let new_row_typed = (0..7).any(|d| form.opt(&format!("c-new-{d}")).is_some());
        if new_row_typed && form.opt("p-new").is_none() {
            errors.insert(FORM.to_string(), s.msg("work-new-row-project"));
        }
        if let Some(project) = form.opt("p-new") {
            for d in 0..7 {
                let name = format!("c-new-{d}");
                if form.opt(&name).is_none() {
                    continue;
                }
                if let Some(minutes) = cell_minutes(&s, &form, &name, &mut errors) {
                    cells.push(CellInput { project: Some(project.to_string()), date: day(d), minutes });
                }
            }
        }
        let failure = if errors.is_empty() {
            match s.app().save_week(actor, w.member_id, w.monday, cells).await {
                Ok(saved) => {
                    let to = week_link(w.member_id, actor.member_id(), w.monday);
                    let flash = if saved.changed == 0 {
                        Flash::ok("work-saved-nothing")
                    } else {
                        Flash::ok("work-saved").arg("count", saved.changed as i64).arg("total", format_hours(saved.total.get()))
                    };
                    return Ok(s.redirect(&to, Some(flash)));
                }
                Err(AppError::Invalid { message, .. }) => {
                    errors.insert(FORM.to_string(), s.app_msg(message));
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                Err(e) => s.form_failure(e, &mut errors)?,
            }
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let sheet = s.app().week_sheet(actor, w.member_id, w.monday).await?;
        grid_page(&s, &sheet, failure, &form, errors).await
    }
    .await;
    s.finish(result).await
}
