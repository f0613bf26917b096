//! Projects: `/work/projects` lists the co-op's projects (by client, or by name) with the hours
//! logged on each, and the kinds of work with the rate and patronage weight in force today and
//! every effective-dated version; admins also get the forms to add a project, to change a
//! project's client and billable flag, and to set a kind's rate and weight from a month on.
//!
//! Why this shape:
//! - Every list and every change goes through the use cases (`App::projects`, `add_project`,
//!   `update_project`, `kind_rates`, `set_kind_rate`); the page only arranges what they return.
//!   The rate "in force today" is the latest version whose first day is not after today.
//! - Forms are shown to whoever the use case's policy lets through (`policy::manage_projects`,
//!   `policy::manage_pay`); a forged post by anyone else is refused by the use case (403).
//! - A refused form is drawn again with what was typed and the message next to the field: a
//!   taken name next to the name, a month whose pay run is approved next to the month.
//! - Rates change on the first day of a month (pay runs are monthly), so the date field is a
//!   month; a full date is taken only when it is the first of its month.

use super::forms::FormData;
use super::{FieldErrors, Flash, PageResult, Problem, Shell, SignedIn};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use coop_app::pay::{parse_weight, KindRateView, Month};
use coop_app::projects::ProjectView;
use coop_app::{policy, AppError};
use coop_core::money::Money;
use minijinja::context;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const PAGE: &str = "/work/projects";

/// A form drawn again: which one (`add`, `edit-ID`, `rate`), what was typed, what went wrong.
#[derive(Default)]
struct Failed {
    form: String,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

#[derive(Serialize)]
struct ProjectRow {
    id: i64,
    name: String,
    client: String,
    billable: bool,
    hours: String,
    /// The edit form's values and errors (what was typed when it was refused).
    edit_client: String,
    edit_billable: bool,
    errors: FieldErrors,
}

#[derive(Serialize)]
struct ClientGroup {
    /// `None`: projects without a client.
    client: Option<String>,
    projects: Vec<ProjectRow>,
}

#[derive(Serialize)]
struct RateVersion {
    from: String,
    rate: Option<String>,
    weight: String,
    /// `past`, `current` or `upcoming`.
    when: &'static str,
}

#[derive(Serialize)]
struct KindRow {
    kind: String,
    current: Option<RateVersion>,
    versions: Vec<RateVersion>,
}

/// The kinds of work with their versions (the use case lists them by kind, then by date).
fn kind_rows(rates: Vec<KindRateView>, today: &str) -> Vec<KindRow> {
    let mut rows: Vec<KindRow> = Vec::new();
    for r in rates {
        if rows.last().is_none_or(|k| k.kind != r.kind) {
            rows.push(KindRow { kind: r.kind.clone(), current: None, versions: Vec::new() });
        }
        let row = rows.last_mut().expect("just pushed");
        row.versions.push(RateVersion { from: r.effective_from, rate: r.rate, weight: r.weight, when: "past" });
    }
    for row in &mut rows {
        let current = row.versions.iter().rposition(|v| v.from.as_str() <= today);
        for (i, v) in row.versions.iter_mut().enumerate() {
            v.when = match current {
                Some(c) if i == c => "current",
                Some(c) if i < c => "past",
                _ if v.from.as_str() > today => "upcoming",
                _ => "past",
            };
        }
        row.current = current.map(|c| {
            let v = &row.versions[c];
            RateVersion { from: v.from.clone(), rate: v.rate.clone(), weight: v.weight.clone(), when: "current" }
        });
        // Newest first: the history reads from what comes next down to the first version.
        row.versions.reverse();
    }
    rows
}

async fn page(s: &Shell, status: StatusCode, sort: &str, failed: Failed) -> PageResult {
    let actor = s.actor()?;
    let app = s.app();
    let projects: Vec<ProjectView> = app.projects(actor).await?;
    let rates = app.kind_rates(actor).await?;
    let today = app.today().await?;
    // Kinds the co-op knows: those with a rate and those with hours this year.
    let mut kinds: BTreeSet<String> = rates.iter().map(|r| r.kind.clone()).collect();
    kinds.extend(app.hours_by_kind(actor, today.year()).await?.into_iter().filter_map(|k| k.name));

    let by_name = sort == "name";
    let row = |p: &ProjectView| {
        let edit_form = format!("edit-{}", p.id);
        let refused = failed.form == edit_form;
        ProjectRow {
            id: p.id,
            name: p.name.clone(),
            client: p.client.clone().unwrap_or_default(),
            billable: p.billable,
            hours: p.hours.clone(),
            edit_client: if refused { failed.values.get("client").cloned().unwrap_or_default() } else { p.client.clone().unwrap_or_default() },
            edit_billable: if refused { failed.values.contains_key("billable") } else { p.billable },
            errors: if refused { failed.errors.clone() } else { FieldErrors::new() },
        }
    };
    let mut sorted: Vec<&ProjectView> = projects.iter().collect();
    sorted.sort_by_key(|p| p.name.to_lowercase());
    let mut groups: Vec<ClientGroup> = Vec::new();
    if by_name {
        groups.push(ClientGroup { client: None, projects: sorted.iter().map(|p| row(p)).collect() });
    } else {
        // By client (ignoring case), projects without one last.
        let mut clients: BTreeMap<(bool, String), (String, Vec<ProjectRow>)> = BTreeMap::new();
        for p in &sorted {
            let key = (p.client.is_none(), p.client.as_deref().unwrap_or_default().to_lowercase());
            clients.entry(key).or_insert_with(|| (p.client.clone().unwrap_or_default(), Vec::new())).1.push(row(p));
        }
        groups = clients.into_values().map(|(client, projects)| ClientGroup { client: (!client.is_empty()).then_some(client), projects }).collect();
    }

    let (add_values, add_errors) = if failed.form == "add" {
        (failed.values.clone(), failed.errors.clone())
    } else {
        // A new project is billable unless unticked, as on the command line.
        (BTreeMap::from([("billable".to_string(), "on".to_string())]), FieldErrors::new())
    };
    let (rate_values, rate_errors) = if failed.form == "rate" {
        (failed.values.clone(), failed.errors.clone())
    } else {
        (BTreeMap::from([("from".to_string(), Month::of(today).text()), ("weight".to_string(), "1.00".to_string())]), FieldErrors::new())
    };
    let ctx = context! {
        active => "work",
        sort => if by_name { "name" } else { "client" },
        groups => groups,
        project_count => projects.len(),
        kinds => kind_rows(rates, &today.to_string()),
        kind_names => kinds.into_iter().collect::<Vec<_>>(),
        today => today.to_string(),
        can_manage_projects => policy::manage_projects(actor).is_ok(),
        can_manage_rates => policy::manage_pay(actor).is_ok(),
        add_values => add_values,
        add_errors => add_errors,
        rate_values => rate_values,
        rate_errors => rate_errors,
    };
    Ok(s.render(status, "projects.html", ctx).await)
}

/// `GET /work/projects?sort=client|name`.
pub async fn list(SignedIn(s): SignedIn, RawQuery(q): RawQuery) -> Response {
    let result: PageResult = async {
        let q = FormData::from_query(q.as_deref());
        page(&s, StatusCode::OK, q.get("sort"), Failed::default()).await
    }
    .await;
    s.finish(result).await
}

/// Sorts a use case's refusal: a conflict goes next to `conflict_field`, a bad field next to
/// itself (renamed by `rename`), anything else to the error page.
fn refusal(s: &Shell, e: AppError, conflict_field: &str, rename: &[(&str, &str)], errors: &mut FieldErrors) -> Result<StatusCode, Problem> {
    let status = super::status_of(&e);
    match e {
        AppError::Conflict(message) => {
            errors.insert(conflict_field.to_string(), s.app_msg(message));
            Ok(status)
        }
        AppError::Invalid { field, message } => {
            let field = rename.iter().find(|(from, _)| *from == field).map(|(_, to)| to.to_string()).unwrap_or(field);
            errors.insert(field, s.app_msg(message));
            Ok(status)
        }
        other => s.form_failure(other, errors),
    }
}

/// `POST /work/projects`: adds a project.
pub async fn add(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        let name = form.get("name");
        match s.app().add_project(actor, name, form.opt("client"), form.opt("billable").is_some()).await {
            Ok(p) => Ok(s.redirect(PAGE, Some(Flash::ok("projects-added").arg("name", p.name)))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = refusal(&s, e, "name", &[], &mut errors)?;
                page(&s, status, "", Failed { form: "add".into(), values: form.values(), errors }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

/// `POST /work/projects/{id}`: changes a project's client and billable flag.
pub async fn update(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        // The use case names projects; the page's forms carry the id, which never needs escaping.
        let name =
            s.app().projects(actor).await?.into_iter().find(|p| p.id == id).map(|p| p.name).ok_or_else(|| AppError::NotFound(format!("project {id}")))?;
        match s.app().update_project(actor, &name, form.opt("client"), form.opt("billable").is_some()).await {
            Ok(p) => Ok(s.redirect(PAGE, Some(Flash::ok("projects-updated").arg("name", p.name)))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = refusal(&s, e, "client", &[], &mut errors)?;
                page(&s, status, "", Failed { form: format!("edit-{id}"), values: form.values(), errors }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

/// The month a rate starts: `YYYY-MM`, or the first day of a month as `YYYY-MM-DD`.
fn rate_month(text: &str) -> Option<Month> {
    let text = text.trim();
    match text.len() {
        7 => Month::parse(text).ok(),
        10 => coop_core::time::parse_date(text).ok().filter(|d| d.day() == 1).map(Month::of),
        _ => None,
    }
}

/// `POST /work/projects/rates`: sets a kind of work's rate and weight from a month on.
pub async fn set_rate(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        // Refused before reading the fields, so that a visitor without the right learns nothing.
        policy::manage_pay(actor)?;
        let mut errors = FieldErrors::new();
        if form.opt("kind").is_none() {
            errors.insert("kind".into(), s.msg("projects-kind-required"));
        }
        let month = rate_month(form.get("from"));
        if month.is_none() {
            errors.insert("from".into(), s.msg("projects-rate-from-invalid"));
        }
        let rate = match form.opt("rate") {
            None => None,
            Some(r) => match Money::parse(r) {
                Ok(m) => Some(m),
                Err(message) => {
                    errors.insert("rate".into(), s.app_msg(message));
                    None
                }
            },
        };
        let weight = match parse_weight(form.opt("weight").unwrap_or("1")) {
            Ok(w) => Some(w),
            Err(e) => {
                s.form_failure(e, &mut errors)?;
                None
            }
        };
        let failed = |errors| Failed { form: "rate".into(), values: form.values(), errors };
        let (Some(month), Some(weight), true) = (month, weight, errors.is_empty()) else {
            return page(&s, StatusCode::UNPROCESSABLE_ENTITY, "", failed(errors)).await;
        };
        match s.app().set_kind_rate(actor, form.get("kind"), month, rate, weight).await {
            Ok(v) => Ok(s.redirect(PAGE, Some(Flash::ok("projects-rate-set").arg("kind", v.kind).arg("from", v.effective_from)))),
            Err(e) => {
                // A month whose pay run is approved is refused next to the month.
                let status = refusal(&s, e, "from", &[("month", "from")], &mut errors)?;
                page(&s, status, "", failed(errors)).await
            }
        }
    }
    .await;
    s.finish(result).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(kind: &str, from: &str, rate: Option<&str>) -> KindRateView {
        KindRateView { kind: kind.into(), effective_from: from.into(), rate: rate.map(str::to_string), weight: "1.00".into() }
    }

    #[test]
    fn the_rate_in_force_is_the_latest_not_after_today() {
        let rows = kind_rows(
            vec![
                v("Design", "2026-01-01", Some("30.00")),
                v("Design", "2026-06-01", Some("32.00")),
                v("Design", "2027-01-01", None),
                v("Support", "2027-01-01", None),
            ],
            "2026-11-28",
        );
        assert_eq!(rows.len(), 2);
        let design = &rows[0];
        assert_eq!(design.current.as_ref().map(|c| c.from.as_str()), Some("2026-06-01"));
        assert_eq!(design.current.as_ref().and_then(|c| c.rate.as_deref()), Some("32.00"));
        let whens: Vec<_> = design.versions.iter().map(|v| (v.from.as_str(), v.when)).collect();
        assert_eq!(whens, vec![("2027-01-01", "upcoming"), ("2026-06-01", "current"), ("2026-01-01", "past")]);
        assert!(rows[1].current.is_none());
        // On the first day of a version it is in force.
        let rows = kind_rows(vec![v("Design", "2026-01-01", Some("30.00")), v("Design", "2026-06-01", Some("32.00"))], "2026-06-01");
        assert_eq!(rows[0].current.as_ref().map(|c| c.from.as_str()), Some("2026-06-01"));
    }

    #[test]
    fn a_rate_starts_on_a_month() {
        assert_eq!(rate_month("2026-03"), Some(Month { year: 2026, month: 3 }));
        assert_eq!(rate_month(" 2026-03-01 "), Some(Month { year: 2026, month: 3 }));
        assert_eq!(rate_month("2026-03-02"), None);
        assert_eq!(rate_month("March"), None);
        assert_eq!(rate_month(""), None);
    }
}
