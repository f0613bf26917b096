//! Meetings: the list (upcoming and past, with the schedule form for the record keeper), a
//! meeting's page (agenda, suggested items, roles with the suggested rotation, attendance with
//! the live quorum of linked decisions, notes, actions, the minutes from draft to sealed, errata,
//! exports), the export downloads and the private calendar feed.
//!
//! Why this shape:
//! - Everything is a plain form: the agenda is reordered with an up and a down button per item
//!   (each its own little form), attendance is one form with a select per member, roles one
//!   form with a select per role (pre-filled with the holder, else the rotation's suggestion).
//!   Only changed answers are sent to the use cases, so saving the attendance form again does
//!   not touch the journal.
//! - The use cases decide who may do what; the page hides forms the visitor may not use, and a
//!   forged post is refused by the use case (403).
//! - A refused form is drawn again on the meeting page with what was typed, the message next to
//!   the field, and the status the refusal carries (422, 409).
//! - The calendar feed at `/calendar/TOKEN.ics` needs no sign-in: a calendar app cannot sign
//!   in, so the long random token is the credential (only its hash is stored). An unknown token
//!   is a plain 404. The token is shown once on the account page (in the HttpOnly flash).

use super::decisions::{closes_field, local_input, tz_name};
use super::forms::{self, FormData};
use super::{FieldErrors, Flash, PageResult, Problem, Shell, SignedIn};
use crate::web::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use coop_app::meetings::{ExportFormat, ItemInput, MeetingInput, MeetingView};
use coop_app::members::MemberFilter;
use coop_app::{policy, AppError};
use coop_core::meeting::{Repeat, ATTENDANCE, KINDS, ROLES};
use coop_core::member::MemberState;
use minijinja::{context, Value};
use std::collections::BTreeMap;

/// The repeat choices of the schedule form ("" is a one-off).
const REPEATS: [&str; 5] = ["weekly", "every-2-weeks", "every-3-weeks", "every-4-weeks", "monthly"];

fn page_path(id: i64) -> String {
    format!("/meetings/{id}")
}

/// A form drawn again: which one, what was typed, what went wrong.
#[derive(Default)]
struct Failed {
    form: &'static str,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

// ---------------------------------------------------------------------------------------------
// The list and the schedule form
// ---------------------------------------------------------------------------------------------

async fn list_page(s: &Shell, status: StatusCode, values: BTreeMap<String, String>, errors: FieldErrors) -> PageResult {
    let actor = s.actor()?;
    let now = s.app().clock().now();
    let upcoming = s.app().meetings(actor, Some(now), None).await?;
    let mut past = s.app().meetings(actor, None, Some(now)).await?;
    past.reverse();
    let mut repeat_options = vec![(String::new(), s.t("meetings-repeat-none"))];
    repeat_options.extend(s.options(&REPEATS, "meetings-repeat-"));
    let ctx = context! {
        active => "meetings",
        upcoming => Value::from_serialize(&upcoming),
        past => Value::from_serialize(&past),
        can_schedule => policy::keep_record(actor).is_ok(),
        kind_options => s.options(&KINDS, "meeting-kind-"),
        repeat_options => repeat_options,
        tz_name => tz_name(s),
        values => values,
        errors => errors,
    };
    Ok(s.render(status, "meetings.html", ctx).await)
}

pub async fn list(SignedIn(s): SignedIn) -> Response {
    let result: PageResult = async {
        // A week from now, on the hour, in the co-op's time zone.
        let start = s.app().clock().now().checked_add(jiff::SignedDuration::from_hours(24 * 7)).map(|t| local_input(&s, t)).unwrap_or_default();
        let start = start.get(..14).map(|d| format!("{d}00")).unwrap_or(start);
        let values =
            BTreeMap::from([("kind".to_string(), "general".to_string()), ("minutes_long".to_string(), "90".to_string()), ("starts".to_string(), start)]);
        list_page(&s, StatusCode::OK, values, FieldErrors::new()).await
    }
    .await;
    s.finish(result).await
}

pub async fn schedule(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::keep_record(actor)?;
        let mut errors = FieldErrors::new();
        let starts_at = match closes_field(&s, &form, "starts") {
            Ok(Some(t)) => Some(t),
            Ok(None) => {
                errors.insert("starts".into(), s.msg("form-invalid-datetime"));
                None
            }
            Err(m) => {
                errors.insert("starts".into(), m);
                None
            }
        };
        let minutes_long = form.get("minutes_long").trim().parse::<i64>().map_err(|_| errors.insert("minutes_long".into(), s.msg("form-invalid-number"))).ok();
        let repeat = match form.opt("repeat") {
            None => None,
            Some(r) => Repeat::parse(r).map_err(|_| errors.insert("repeat".into(), s.msg("form-invalid-choice"))).ok(),
        };
        let count = match form.opt("count") {
            None => None,
            Some(c) => c.parse::<usize>().map_err(|_| errors.insert("count".into(), s.msg("form-invalid-number"))).ok(),
        };
        let until = forms::date(&form, "until").map_err(|b| s.bad_field(b, &mut errors)).ok().flatten();
        let (Some(starts_at), Some(minutes_long)) = (starts_at, minutes_long) else {
            return list_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await;
        };
        if !errors.is_empty() {
            return list_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await;
        }
        let input = MeetingInput {
            title: form.get("title").to_string(),
            kind: form.get("kind").to_string(),
            starts_at,
            minutes_long,
            place: form.get("place").to_string(),
            link: form.get("link").to_string(),
            repeat,
            count,
            until,
        };
        match s.app().schedule_meeting(actor, input).await {
            Ok(ids) => Ok(s.redirect(&page_path(ids[0]), Some(Flash::ok("meeting-scheduled").arg("count", ids.len() as i64)))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                list_page(&s, status, form.values(), errors).await
            }
        }
    }
    .await;
    s.finish(result).await
}

// ---------------------------------------------------------------------------------------------
// A meeting's page
// ---------------------------------------------------------------------------------------------

async fn meeting_page(s: &Shell, id: i64, status: StatusCode, failed: Failed) -> PageResult {
    let actor = s.actor()?;
    let app = s.app();
    let m = app.meeting(actor, id).await?;
    let suggestions = app.suggest_roles(actor, id).await?;
    let can_keep = policy::keep_record(actor).is_ok();
    let own = actor.member_id();
    let note_taker = m.roles.iter().find(|r| r.role == "note_taker").map(|r| r.member_id);
    let can_take_notes = policy::take_notes(actor, note_taker).is_ok();
    let editable = m.minutes_status != "approved";
    // Everyone who may attend: members who have not left, and anyone already recorded.
    let members = app.list_members(actor, &MemberFilter::default()).await?;
    let mut people: Vec<(String, String)> = members
        .iter()
        .filter(|p| p.state.is_some_and(|st| st != MemberState::Departed) || m.attendees.iter().any(|a| a.member_id == p.id))
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect();
    people.sort_by_key(|p| p.1.to_lowercase());
    let attendance: BTreeMap<String, String> = m.attendees.iter().map(|a| (a.member_id.to_string(), a.attendance.clone())).collect();
    let mut attendance_options = vec![(String::new(), s.t("meeting-attendance-unrecorded"))];
    attendance_options.extend(s.options(&ATTENDANCE, "meeting-attendance-"));
    // Each role: who holds it, who the rotation suggests, and what the select starts on.
    let roles: Vec<Value> = ROLES
        .iter()
        .map(|role| {
            let holder = m.roles.iter().find(|r| r.role == *role);
            let suggested = suggestions.iter().find(|r| r.role == *role);
            let selected = holder.map(|h| h.member_id).or(suggested.map(|x| x.member_id)).map(|i| i.to_string()).unwrap_or_default();
            context! {
                role => *role,
                holder => holder.map(|h| h.name.clone()),
                suggested => suggested.map(|x| x.name.clone()),
                selected => selected,
            }
        })
        .collect();
    let agenda: Vec<_> = m.items.iter().filter(|i| i.state == "agenda").collect();
    let suggested: Vec<_> = m.items.iter().filter(|i| i.state != "agenda").collect();
    let item_options: Vec<(String, String)> =
        std::iter::once((String::new(), s.t("meeting-action-no-item"))).chain(agenda.iter().map(|i| (i.id.to_string(), i.title.clone()))).collect();
    let mut proposal_options = vec![(String::new(), s.t("meeting-item-no-proposal"))];
    proposal_options.extend(app.proposals(actor, None).await?.into_iter().map(|p| (p.id.to_string(), format!("#{} {}", p.id, p.title))));
    let mut presenter_options = vec![(String::new(), s.t("meeting-item-no-presenter"))];
    presenter_options.extend(people.iter().cloned());
    let actions: Vec<Value> =
        m.actions.iter().map(|a| context! { a => Value::from_serialize(a), can_toggle => policy::complete_action(actor, a.owner_id).is_ok() }).collect();
    // Approval by a proposal: the classes, and the other meetings where hands may decide it.
    let class_options: Vec<(String, String)> = app.classes(actor).await?.into_iter().map(|c| (c.name.clone(), c.name)).collect();
    let mut at_options = vec![(String::new(), s.t("meeting-approval-by-vote"))];
    at_options.extend(
        app.meetings(actor, None, None).await?.into_iter().filter(|o| o.id != id).map(|o| (o.id.to_string(), format!("{} ({})", o.title, o.local_time))),
    );
    let (form, values, errors) = (failed.form, failed.values, failed.errors);
    let ctx = context! {
        active => "meetings",
        m => Value::from_serialize(&m),
        agenda => Value::from_serialize(&agenda),
        suggested => Value::from_serialize(&suggested),
        roles => roles,
        actions => actions,
        people => people,
        attendance => attendance,
        attendance_options => attendance_options,
        item_options => item_options,
        proposal_options => proposal_options,
        presenter_options => presenter_options,
        owner_default => own.map(|i| i.to_string()).unwrap_or_default(),
        approved_by_proposal => m.approved_by.as_deref().and_then(|b| b.strip_prefix("proposal:")).and_then(|p| p.parse::<i64>().ok()),
        class_options => class_options,
        at_options => at_options,
        tz_name => tz_name(s),
        can_keep => can_keep,
        can_take_notes => can_take_notes,
        editable => editable,
        failed => form,
        values => values,
        errors => errors,
    };
    Ok(s.render(status, "meeting.html", ctx).await)
}

pub async fn show(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    let result = meeting_page(&s, id, StatusCode::OK, Failed::default()).await;
    s.finish(result).await
}

/// After a use case on the meeting page: back to it with `flash`, or the form drawn again.
async fn answer(s: &Shell, id: i64, done: Result<(), AppError>, flash: &str, form_name: &'static str, form: &FormData) -> PageResult {
    match done {
        Ok(()) => Ok(s.redirect(&page_path(id), Some(Flash::ok(flash)))),
        Err(e) => {
            let mut errors = FieldErrors::new();
            let status = s.form_failure(e, &mut errors)?;
            meeting_page(s, id, status, Failed { form: form_name, values: form.values(), errors }).await
        }
    }
}

/// The meeting of an item, checked: the item must belong to the meeting in the URL.
async fn meeting_with_item(s: &Shell, id: i64, item: i64) -> Result<MeetingView, Problem> {
    let m = s.app().meeting(s.actor()?, id).await?;
    if !m.items.iter().any(|i| i.id == item) {
        return Err(Problem::App(AppError::NotFound(format!("agenda item {item}"))));
    }
    Ok(m)
}

/// An optional whole number field; a bad one is recorded in `errors`.
fn opt_number(s: &Shell, form: &FormData, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    let text = form.opt(field)?;
    text.parse::<i64>().map_err(|_| errors.insert(field.to_string(), s.msg("form-invalid-number"))).ok()
}

pub async fn add_item(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let mut errors = FieldErrors::new();
        let input = ItemInput {
            title: form.get("title").to_string(),
            notes: form.get("notes").to_string(),
            presenter_id: opt_number(&s, &form, "presenter", &mut errors),
            minutes_box: opt_number(&s, &form, "minutes", &mut errors),
            proposal_id: opt_number(&s, &form, "proposal", &mut errors),
        };
        if !errors.is_empty() {
            return meeting_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Failed { form: "item", values: form.values(), errors }).await;
        }
        let done = s.app().add_item(s.actor()?, id, input).await.map(|_| ());
        answer(&s, id, done, "meeting-item-added", "item", &form).await
    }
    .await;
    s.finish(result).await
}

pub async fn suggest_item(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let done = s.app().suggest_item(s.actor()?, id, form.get("title"), form.get("notes")).await.map(|_| ());
        answer(&s, id, done, "meeting-item-suggested", "suggest", &form).await
    }
    .await;
    s.finish(result).await
}

pub async fn accept_item(SignedIn(s): SignedIn, Path((id, item)): Path<(i64, i64)>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        meeting_with_item(&s, id, item).await?;
        let done = s.app().accept_item(s.actor()?, item).await;
        answer(&s, id, done, "meeting-item-accepted", "agenda", &form).await
    }
    .await;
    s.finish(result).await
}

/// `POST /meetings/{id}/items/{item}/move` with `direction` = up or down: swaps the item with
/// its neighbour on the agenda (suggested items keep their places after it).
pub async fn move_item(SignedIn(s): SignedIn, Path((id, item)): Path<(i64, i64)>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let m = meeting_with_item(&s, id, item).await?;
        let mut order: Vec<i64> = m.items.iter().filter(|i| i.state == "agenda").map(|i| i.id).collect();
        let Some(at) = order.iter().position(|i| *i == item) else {
            return Err(Problem::App(AppError::Conflict(format!("item {item} is not on the agenda yet"))));
        };
        let to = match form.get("direction") {
            "up" => at.checked_sub(1),
            "down" => Some(at + 1).filter(|t| *t < order.len()),
            _ => return Err(Problem::App(AppError::invalid("direction", "move an item up or down"))),
        };
        if let Some(to) = to {
            order.swap(at, to);
        }
        order.extend(m.items.iter().filter(|i| i.state != "agenda").map(|i| i.id));
        let done = s.app().reorder_agenda(s.actor()?, id, &order).await;
        answer(&s, id, done, "meeting-agenda-reordered", "agenda", &form).await
    }
    .await;
    s.finish(result).await
}

pub async fn publish(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let done = s.app().publish_agenda(s.actor()?, id).await;
        answer(&s, id, done, "meeting-agenda-published", "agenda", &form).await
    }
    .await;
    s.finish(result).await
}

pub async fn notes(SignedIn(s): SignedIn, Path((id, item)): Path<(i64, i64)>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        meeting_with_item(&s, id, item).await?;
        let done = s.app().set_notes(s.actor()?, item, form.get("notes")).await;
        answer(&s, id, done, "meeting-notes-saved", "notes", &form).await
    }
    .await;
    s.finish(result).await
}

/// `POST /meetings/{id}/roles`: `role-ROLE` = member id per role; only changes are recorded.
pub async fn roles(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        let m = s.app().meeting(actor, id).await?;
        let mut errors = FieldErrors::new();
        let mut done = Ok(());
        for role in ROLES {
            let field = format!("role-{role}");
            let Some(member) = opt_number(&s, &form, &field, &mut errors) else { continue };
            if m.roles.iter().any(|r| r.role == role && r.member_id == member) {
                continue;
            }
            done = s.app().set_role(actor, id, role, member).await;
            if done.is_err() {
                break;
            }
        }
        if !errors.is_empty() {
            return meeting_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Failed { form: "roles", values: form.values(), errors }).await;
        }
        answer(&s, id, done, "meeting-roles-saved", "roles", &form).await
    }
    .await;
    s.finish(result).await
}

/// `POST /meetings/{id}/attendance`: `a-MEMBER` = present, remote, absent or excused ("" leaves
/// the member unrecorded); only changes are recorded.
pub async fn attendance(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::keep_record(actor)?;
        let m = s.app().meeting(actor, id).await?;
        let mut done = Ok(());
        for (key, value) in form.values() {
            let Some(member) = key.strip_prefix("a-").and_then(|k| k.parse::<i64>().ok()) else { continue };
            let value = value.trim();
            if value.is_empty() || m.attendees.iter().any(|a| a.member_id == member && a.attendance == value) {
                continue;
            }
            done = s.app().attend(actor, id, member, value).await;
            if done.is_err() {
                break;
            }
        }
        answer(&s, id, done, "meeting-attendance-saved", "attendance", &form).await
    }
    .await;
    s.finish(result).await
}

pub async fn add_action(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let mut errors = FieldErrors::new();
        let owner = opt_number(&s, &form, "owner", &mut errors);
        let item = opt_number(&s, &form, "item", &mut errors);
        let due = match forms::date(&form, "due") {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.insert("due".into(), s.msg("form-invalid-date"));
                None
            }
            Err(b) => {
                s.bad_field(b, &mut errors);
                None
            }
        };
        if owner.is_none() && !errors.contains_key("owner") {
            errors.insert("owner".into(), s.msg("form-invalid-choice"));
        }
        let (Some(owner), Some(due), true) = (owner, due, errors.is_empty()) else {
            return meeting_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Failed { form: "action", values: form.values(), errors }).await;
        };
        let done = s.app().add_action(s.actor()?, id, form.get("title"), owner, due, item).await.map(|_| ());
        answer(&s, id, done, "meeting-action-added", "action", &form).await
    }
    .await;
    s.finish(result).await
}

/// `POST /meetings/{id}/actions/{action}/done` with `done` = 1 or 0, and `back` (a local path,
/// e.g. the dashboard) to return to.
pub async fn action_done(SignedIn(s): SignedIn, Path((id, action)): Path<(i64, i64)>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let done = form.get("done") == "1";
        s.app().set_action_done(s.actor()?, action, done).await?;
        let back = form.opt("back").map(forms::local_next).unwrap_or_else(|| page_path(id));
        Ok(s.redirect(&back, Some(Flash::ok(if done { "meeting-action-done" } else { "meeting-action-reopened" }))))
    }
    .await;
    s.finish(result).await
}

pub async fn circulate(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let done = s.app().circulate_minutes(s.actor()?, id).await;
        answer(&s, id, done, "meeting-minutes-circulated", "minutes", &form).await
    }
    .await;
    s.finish(result).await
}

pub async fn reopen(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let done = s.app().reopen_minutes(s.actor()?, id).await;
        answer(&s, id, done, "meeting-minutes-reopened", "minutes", &form).await
    }
    .await;
    s.finish(result).await
}

pub async fn approve(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let done = s.app().approve_minutes(s.actor()?, id).await.map(|_| ());
        answer(&s, id, done, "meeting-minutes-approved", "minutes", &form).await
    }
    .await;
    s.finish(result).await
}

/// `POST /meetings/{id}/propose-approval`: opens a proposal that approves (and seals) the
/// minutes when it passes, decided by hands at another meeting or by a vote.
pub async fn propose_approval(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let mut errors = FieldErrors::new();
        let at_meeting = opt_number(&s, &form, "at_meeting", &mut errors);
        let closes = closes_field(&s, &form, "closes").map_err(|m| errors.insert("closes".into(), m)).ok().flatten();
        if !errors.is_empty() {
            return meeting_page(&s, id, StatusCode::UNPROCESSABLE_ENTITY, Failed { form: "approval", values: form.values(), errors }).await;
        }
        match s.app().propose_minutes_approval(s.actor()?, id, form.get("class"), at_meeting, closes).await {
            Ok(p) => Ok(s.redirect(&format!("/decisions/{}", p.id), Some(Flash::ok("meeting-approval-proposed")))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                meeting_page(&s, id, status, Failed { form: "approval", values: form.values(), errors }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn erratum(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let done = s.app().add_erratum(s.actor()?, id, form.get("text")).await.map(|_| ());
        answer(&s, id, done, "meeting-erratum-added", "erratum", &form).await
    }
    .await;
    s.finish(result).await
}

// ---------------------------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------------------------

async fn export(s: Shell, id: i64, format: ExportFormat, ext: &str) -> Response {
    let result: PageResult = async {
        let bytes = s.app().export_meeting(s.actor()?, id, format).await?;
        let headers = [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"meeting-{id}.{ext}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ];
        Ok((headers, bytes).into_response())
    }
    .await;
    s.finish(result).await
}

pub async fn export_md(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    export(s, id, ExportFormat::Markdown, "md").await
}

pub async fn export_html(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    export(s, id, ExportFormat::Html, "html").await
}

pub async fn export_pdf(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    export(s, id, ExportFormat::Pdf, "pdf").await
}

pub async fn export_ics(SignedIn(s): SignedIn, Path(id): Path<i64>) -> Response {
    export(s, id, ExportFormat::Ical, "ics").await
}

/// `GET /calendar/{token}.ics`: a member's private feed. No sign-in: the token is the
/// credential; anything else is a 404 that says nothing about why.
pub async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let text = match file.strip_suffix(".ics") {
        Some(token) => state.app.calendar_for_token(token).await,
        None => Err(AppError::NotFound("calendar".into())),
    };
    match text {
        Ok(text) => {
            let headers = [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
            (headers, text).into_response()
        }
        Err(AppError::NotFound(_)) => (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], "not found\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error\n").into_response()
        }
    }
}

/// `POST /account/calendar`: a new private feed URL (the old one stops working), shown once.
pub async fn new_calendar_token(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let token = s.app().calendar_token(s.actor()?).await?;
        let url = format!("{}/calendar/{token}.ics", s.base_url());
        Ok(s.redirect("/account", Some(Flash::ok("calendar-feed-created").arg("url", url))))
    }
    .await;
    s.finish(result).await
}
