//! Members: the list with its search, a member's page with their history, and the forms
//! that add, edit, move and empower people.

use super::forms::{self, FormData};
use super::{FieldErrors, Flash, PageResult, Shell, SignedIn, FORM};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use coop_app::members::{MemberEdit, MemberFilter, NewMember, StateInput};
use coop_app::policy;
use coop_core::member::{MemberState, Role};
use minijinja::{context, Value};
use std::collections::BTreeMap;

/// Every state, for filters and selects.
fn all_states() -> Vec<&'static str> {
    MemberState::ALL.iter().map(|s| s.as_str()).collect()
}

/// The states a person may be added in.
fn start_states() -> Vec<&'static str> {
    MemberState::ALL.iter().filter(|s| s.is_valid_start()).map(|s| s.as_str()).collect()
}

fn all_roles() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

/// Journal actors ("member:3") with the member's name, for tables that show who did what.
pub async fn actor_names(s: &Shell) -> Result<BTreeMap<String, String>, super::Problem> {
    let members = s.app().list_members(s.actor()?, &MemberFilter::default()).await?;
    Ok(members.into_iter().map(|m| (format!("member:{}", m.id), m.name)).collect())
}

/// Members on one page of the list.
const MEMBERS_PER_PAGE: u32 = 100;

pub async fn list(SignedIn(s): SignedIn, RawQuery(q): RawQuery) -> Response {
    let result: PageResult = async {
        let q = FormData::from_query(q.as_deref());
        let search = q.opt("q").map(str::to_string);
        // An unknown state in a hand-edited URL shows everyone rather than an error.
        let state = q.opt("state").and_then(|v| MemberState::parse(v).ok());
        let actor = s.actor()?;
        // A page of a federation's thousands stays light; the search and the filter go
        // across every page.
        let page = q.opt("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
        let found = s.app().list_members_page(actor, &MemberFilter { search: search.clone(), state }, page, MEMBERS_PER_PAGE).await?;
        let page_link = |n: u32| {
            let filters = [("q", search.clone().unwrap_or_default()), ("state", state.map(|s| s.as_str().to_string()).unwrap_or_default())];
            let q = super::forms::query(&[filters[0].clone(), filters[1].clone(), ("page", n.to_string())]);
            format!("/members?{q}")
        };
        let previous = (found.page > 1).then(|| page_link(found.page - 1));
        let next = (found.page < found.pages).then(|| page_link(found.page + 1));
        let ctx = context! {
            active => "members",
            members => Value::from_serialize(&found.members),
            total => found.total,
            page => found.page,
            pages => found.pages,
            previous => previous,
            next => next,
            q => q.get("q"),
            state => state.map(|s| s.as_str()).unwrap_or(""),
            states => all_states(),
            can_add => policy::manage_members(actor).is_ok(),
            fragment => s.wants_fragment(),
        };
        if s.wants_fragment() {
            Ok(s.render_fragment("members_results.html", ctx).await)
        } else {
            Ok(s.render(StatusCode::OK, "members.html", ctx).await)
        }
    }
    .await;
    s.finish(result).await
}

async fn new_page(s: &Shell, status: StatusCode, values: BTreeMap<String, String>, roles: Vec<String>, errors: FieldErrors) -> Response {
    let ctx = context! {
        active => "members",
        values => values,
        checked_roles => roles,
        role_options => s.options(&all_roles(), "role-"),
        state_options => s.options(&start_states(), "state-"),
        language_options => s.language_options(),
        errors => errors,
    };
    s.render(status, "member_form.html", ctx).await
}

pub async fn new_form(SignedIn(s): SignedIn) -> Response {
    let result: PageResult = async {
        policy::manage_members(s.actor()?)?;
        let values = BTreeMap::from([("state".to_string(), "applicant".to_string())]);
        Ok(new_page(&s, StatusCode::OK, values, vec![], FieldErrors::new()).await)
    }
    .await;
    s.finish(result).await
}

pub async fn create(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        // Asked first so that someone who may not add members learns that, not a date format.
        policy::manage_members(actor)?;
        let mut errors = FieldErrors::new();
        let state = forms::state(&form, "state").map_err(|b| s.bad_field(b, &mut errors)).ok();
        let since = forms::date(&form, "since").map_err(|b| s.bad_field(b, &mut errors)).ok().flatten();
        let planned_end = forms::date(&form, "planned_end").map_err(|b| s.bad_field(b, &mut errors)).ok().flatten();
        let roles = forms::roles(&form, "roles").map_err(|b| s.bad_field(b, &mut errors)).unwrap_or_default();
        let checked: Vec<String> = form.all("roles").into_iter().map(str::to_string).collect();
        if !errors.is_empty() {
            return Ok(new_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), checked, errors).await);
        }
        let new = NewMember {
            name: form.get("name").to_string(),
            email: form.get("email").to_string(),
            state,
            since,
            planned_end,
            note: form.get("note").to_string(),
            roles,
            // A password is taken exactly as typed; an empty one means "none".
            password: Some(form.get("password").to_string()).filter(|p| !p.is_empty()),
            language: form.opt("language").map(str::to_string),
        };
        match s.app().add_member(actor, new).await {
            Ok(m) => Ok(s.redirect("/members", Some(Flash::ok("member-added").arg("name", m.name)))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                Ok(new_page(&s, status, form.values(), checked, errors).await)
            }
        }
    }
    .await;
    s.finish(result).await
}

/// What the change-state and roles forms show when drawn again.
#[derive(Default)]
struct Forms {
    state_values: BTreeMap<String, String>,
    state_errors: FieldErrors,
    roles_errors: FieldErrors,
}

async fn member_page(s: &Shell, id: i64, status: StatusCode, f: Forms) -> PageResult {
    let actor = s.actor()?;
    let m = s.app().member(actor, id).await?;
    let latest = m.history.last().map(|h| h.state);
    let next_states: Vec<&str> = MemberState::ALL.iter().filter(|st| latest.is_none_or(|l| l.may_move_to(**st))).map(|st| st.as_str()).collect();
    let ctx = context! {
        active => "members",
        m => Value::from_serialize(&m),
        can_manage => policy::manage_members(actor).is_ok(),
        can_edit => policy::edit_profile(actor, id).is_ok(),
        can_reset => policy::issue_reset(actor).is_ok(),
        state_options => s.options(&next_states, "state-"),
        role_options => s.options(&all_roles(), "role-"),
        state_values => f.state_values,
        state_errors => f.state_errors,
        roles_errors => f.roles_errors,
    };
    Ok(s.render(status, "member.html", ctx).await)
}

pub async fn show(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    let result = member_page(&s, id, StatusCode::OK, Forms::default()).await;
    s.finish(result).await
}

pub async fn change_state(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::manage_members(actor)?;
        let mut errors = FieldErrors::new();
        let state = forms::state(&form, "state").map_err(|b| s.bad_field(b, &mut errors)).ok();
        let on = forms::date(&form, "on").map_err(|b| s.bad_field(b, &mut errors)).ok().flatten();
        let planned_end = forms::date(&form, "planned_end").map_err(|b| s.bad_field(b, &mut errors)).ok().flatten();
        let again = |errors: FieldErrors| Forms { state_values: form.values(), state_errors: errors, ..Forms::default() };
        let Some(state) = state.filter(|_| errors.is_empty()) else {
            return member_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, again(errors)).await;
        };
        let input = StateInput { state, on, note: form.get("note").to_string(), planned_end };
        match s.app().change_state(actor, id, input).await {
            Ok(_) => Ok(s.redirect(&format!("/members/{id}"), Some(Flash::ok("member-state-changed")))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                member_page(&s, id, status, again(errors)).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn set_roles(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        let mut errors = FieldErrors::new();
        let roles = match forms::roles(&form, "roles") {
            Ok(r) => r,
            Err(b) => {
                s.bad_field(b, &mut errors);
                return member_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Forms { roles_errors: errors, ..Forms::default() }).await;
            }
        };
        match s.app().set_roles(actor, id, roles).await {
            Ok(_) => Ok(s.redirect(&format!("/members/{id}"), Some(Flash::ok("member-updated")))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                member_page(&s, id, status, Forms { roles_errors: errors, ..Forms::default() }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn reset_link(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let link = s.app().issue_reset(s.actor()?, id).await?;
        let url = format!("{}/reset/{}", s.base_url(), link.token);
        let now = s.app().clock().now();
        let hours = link.expires_at.parse::<jiff::Timestamp>().map(|e| (e.duration_since(now).as_secs() + 1800) / 3600).unwrap_or(0);
        let flash = Flash::ok("member-reset-link-issued").arg("hours", hours).arg("link", url);
        Ok(s.redirect(&format!("/members/{id}"), Some(flash)))
    }
    .await;
    s.finish(result).await
}

async fn edit_page(s: &Shell, id: i64, status: StatusCode, values: BTreeMap<String, String>, errors: FieldErrors) -> Response {
    let ctx = context! { active => "members", id => id, values => values, errors => errors, language_options => s.language_options() };
    s.render(status, "member_edit.html", ctx).await
}

pub async fn edit_form(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    let result: PageResult = async {
        let actor = s.actor()?;
        policy::edit_profile(actor, id)?;
        let m = s.app().member(actor, id).await?;
        let values = BTreeMap::from([
            ("name".to_string(), m.summary.name.clone()),
            ("email".to_string(), m.summary.email.clone()),
            ("language".to_string(), m.summary.language.clone().unwrap_or_default()),
        ]);
        Ok(edit_page(&s, id, StatusCode::OK, values, FieldErrors::new()).await)
    }
    .await;
    s.finish(result).await
}

pub async fn update(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let edit = MemberEdit {
            name: Some(form.get("name").to_string()),
            email: Some(form.get("email").to_string()),
            language: Some(form.opt("language").map(str::to_string)),
        };
        match s.app().update_member(s.actor()?, id, edit).await {
            Ok(_) => Ok(s.redirect(&format!("/members/{id}"), Some(Flash::ok("member-updated")))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                if errors.contains_key(FORM) {
                    // A taken email belongs next to the email field.
                    if let Some(m) = errors.remove(FORM) {
                        errors.insert("email".into(), m);
                    }
                }
                Ok(edit_page(&s, id, status, form.values(), errors).await)
            }
        }
    }
    .await;
    s.finish(result).await
}
