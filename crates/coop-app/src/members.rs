//! Members: add, edit, list, search, change state, roles.

use crate::{policy, unique_or, Actor, App, AppError, Result};
use coop_core::member::{planned_candidacy_end, MemberState, Role, StateChange};
use coop_core::Email;
use coop_store::members::{MemberQuery, MemberRow};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;

/// A member as lists and the contract's JSON show them.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct MemberSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// The state today (`None` only for someone whose first state is dated in the future).
    pub state: Option<MemberState>,
    /// The first day of that state.
    pub since: Option<String>,
    pub roles: Vec<Role>,
    /// For candidates: when the candidacy is planned to end.
    pub planned_end: Option<String>,
    pub language: Option<String>,
}

impl From<MemberRow> for MemberSummary {
    fn from(r: MemberRow) -> Self {
        MemberSummary {
            id: r.id,
            name: r.name,
            email: r.email,
            planned_end: if r.state == Some(MemberState::Candidate) { r.planned_end } else { None },
            state: r.state,
            since: r.since,
            roles: r.roles,
            language: r.language,
        }
    }
}

/// One row of a member's history.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryItem {
    pub id: i64,
    pub state: MemberState,
    pub since: String,
    pub planned_end: Option<String>,
    pub note: String,
    pub recorded_at: String,
    /// The seal of this change in the journal.
    pub sealed_hash: Option<String>,
}

/// A member with their whole history.
#[derive(Clone, Debug, Serialize)]
pub struct MemberDetail {
    #[serde(flatten)]
    pub summary: MemberSummary,
    pub created_at: String,
    pub history: Vec<HistoryItem>,
    pub candidacy_due: bool,
    pub has_password: bool,
}

/// What the form or the CLI gives to add someone.
#[derive(Clone, Debug, Default)]
pub struct NewMember {
    pub name: String,
    pub email: String,
    pub state: Option<MemberState>,
    /// First day of the state; today if not given.
    pub since: Option<Date>,
    pub planned_end: Option<Date>,
    pub note: String,
    pub roles: Vec<Role>,
    pub password: Option<String>,
    pub language: Option<String>,
}

/// A profile edit: fields left `None` stay as they are.
#[derive(Clone, Debug, Default)]
pub struct MemberEdit {
    pub name: Option<String>,
    pub email: Option<String>,
    /// `Some(None)` clears the member's language (the co-op's default applies).
    pub language: Option<Option<String>>,
}

/// A change of state.
#[derive(Clone, Debug)]
pub struct StateInput {
    pub state: MemberState,
    pub on: Option<Date>,
    pub note: String,
    pub planned_end: Option<Date>,
}

/// Filters for the list.
#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    pub search: Option<String>,
    pub state: Option<MemberState>,
}

/// One page of the member list.
#[derive(Clone, Debug, Serialize)]
pub struct MemberPage {
    pub members: Vec<MemberSummary>,
    /// Members matching the filter, on every page.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    /// Pages in all (at least 1).
    pub pages: u32,
    pub per_page: u32,
}

/// Days before a candidacy's planned end when the dashboard starts listing it.
pub const CANDIDACY_DUE_WINDOW_DAYS: i64 = 30;

pub(crate) fn valid_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(AppError::invalid("name", "a name has 1 to 200 characters"));
    }
    Ok(name.to_string())
}

pub(crate) fn valid_email(email: &str) -> Result<Email> {
    Email::parse(email).map_err(|e| AppError::invalid("email", e.to_string()))
}

fn valid_language(lang: Option<&str>) -> Result<Option<String>> {
    match lang.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(l) if coop_core::settings::LANGUAGES.contains(&l) => Ok(Some(l.to_string())),
        Some(l) => Err(AppError::invalid("language", format!("{l:?} is not a supported language (en or ar)"))),
    }
}

impl App {
    /// Adds a person with their first state (and, for a candidate, the planned end of the
    /// candidacy: the co-op's default length unless given).
    pub async fn add_member(&self, actor: &Actor, new: NewMember) -> Result<MemberSummary> {
        policy::manage_members(actor)?;
        let settings = self.settings().await?;
        let name = valid_name(&new.name)?;
        let email = valid_email(&new.email)?;
        let language = valid_language(new.language.as_deref())?;
        let state = new.state.unwrap_or(MemberState::Applicant);
        let since = match new.since {
            Some(d) => d,
            None => self.today().await?,
        };
        let change = self.state_change(&settings, state, since, new.planned_end, new.note)?;
        coop_core::member::StateHistory::default().check(change.clone()).map_err(|e| AppError::invalid("state", e.to_string()))?;
        let password_hash = match &new.password {
            Some(p) => Some(crate::accounts::hash_password(p).await?),
            None => None,
        };

        let mut tx = self.store.begin_write().await?;
        let now = self.now_text();
        let id = coop_store::members::insert(&mut tx, &name, email.as_str(), language.as_deref(), password_hash.as_deref(), &now)
            .await
            .map_err(|e| unique_or(e, || format!("a member with the email {email} already exists")))?;
        coop_store::members::set_roles(&mut tx, id, &new.roles).await?;
        let subject = format!("member:{id}");
        self.journal(
            &mut tx,
            actor,
            "member.add",
            &subject,
            json!({"name": name, "email": email, "roles": new.roles, "language": language, "has_password": password_hash.is_some()}),
        )
        .await?;
        self.record_state(&mut tx, actor, id, &change, &now).await?;
        tx.commit().await?;
        self.member_summary(id).await
    }

    fn state_change(&self, settings: &coop_core::CoopSettings, state: MemberState, since: Date, planned_end: Option<Date>, note: String) -> Result<StateChange> {
        if planned_end.is_some() && state != MemberState::Candidate {
            return Err(AppError::invalid("planned_end", "only a candidacy has a planned end"));
        }
        let planned_end = match (state, planned_end) {
            (MemberState::Candidate, None) if settings.candidacy_months > 0 => Some(planned_candidacy_end(since, settings.candidacy_months)),
            (_, p) => p,
        };
        let note = note.trim().to_string();
        if note.chars().count() > 2000 {
            return Err(AppError::invalid("note", "a note has at most 2000 characters"));
        }
        Ok(StateChange { state, since, planned_end, note })
    }

    /// Inserts a checked state change, journals it and seals it as a legal record.
    async fn record_state(&self, tx: &mut coop_store::WriteTx, actor: &Actor, member_id: i64, change: &StateChange, now: &str) -> Result<i64> {
        let row_id = coop_store::members::insert_state(tx, member_id, change, now).await?;
        self.journal(
            tx,
            actor,
            "member.state",
            &format!("member:{member_id}"),
            json!({"record": row_id, "state": change.state, "since": change.since.to_string(),
                   "planned_end": change.planned_end.map(|d| d.to_string()), "note": change.note}),
        )
        .await?;
        let content = coop_store::members::state_change_content(tx, row_id)
            .await?
            .ok_or_else(|| AppError::Conflict("the state change vanished inside its own transaction".into()))?;
        coop_store::journal::seal(tx, &self.now_text(), &actor.journal_name(), coop_store::members::STATE_RECORD_KIND, &row_id.to_string(), &content).await?;
        Ok(row_id)
    }

    /// Records a change of state, effective on `input.on` (today if not given).
    pub async fn change_state(&self, actor: &Actor, member_id: i64, input: StateInput) -> Result<MemberDetail> {
        policy::manage_members(actor)?;
        let settings = self.settings().await?;
        let on = match input.on {
            Some(d) => d,
            None => self.today().await?,
        };
        let change = self.state_change(&settings, input.state, on, input.planned_end, input.note)?;
        let today = self.today().await?.to_string();
        let mut tx = self.store.begin_write().await?;
        let row = self.member_row_in(&mut tx, &today, member_id).await?;
        if change.state == MemberState::Departed && row.roles.contains(&Role::Admin) {
            self.keep_an_admin(&mut tx, &today, member_id).await?;
        }
        let history = coop_store::members::history(&mut tx, member_id).await?;
        let change = history.check(change).map_err(|e| AppError::invalid("state", e.to_string()))?;
        let now = self.now_text();
        self.record_state(&mut tx, actor, member_id, &change, &now).await?;
        tx.commit().await?;
        self.member(actor, member_id).await
    }

    /// Changes name, email or language.
    pub async fn update_member(&self, actor: &Actor, member_id: i64, edit: MemberEdit) -> Result<MemberSummary> {
        policy::edit_profile(actor, member_id)?;
        let today = self.today().await?.to_string();
        let mut tx = self.store.begin_write().await?;
        let before = self.member_row_in(&mut tx, &today, member_id).await?;
        let name = match &edit.name {
            Some(n) => valid_name(n)?,
            None => before.name.clone(),
        };
        let email = match &edit.email {
            Some(e) => valid_email(e)?.as_str().to_string(),
            None => before.email.clone(),
        };
        let language = match &edit.language {
            Some(l) => valid_language(l.as_deref())?,
            None => before.language.clone(),
        };
        if name == before.name && email == before.email && language == before.language {
            return Ok(before.into());
        }
        coop_store::members::update_profile(&mut tx, member_id, &name, &email, language.as_deref())
            .await
            .map_err(|e| unique_or(e, || format!("a member with the email {email} already exists")))?;
        self.journal(
            &mut tx,
            actor,
            "member.edit",
            &format!("member:{member_id}"),
            json!({"before": {"name": before.name, "email": before.email, "language": before.language},
                   "after": {"name": name, "email": email, "language": language}}),
        )
        .await?;
        tx.commit().await?;
        self.member_summary(member_id).await
    }

    /// Replaces a member's roles. The co-op always keeps at least one admin who is not departed.
    pub async fn set_roles(&self, actor: &Actor, member_id: i64, roles: Vec<Role>) -> Result<MemberSummary> {
        policy::manage_members(actor)?;
        let mut roles = roles;
        roles.sort();
        roles.dedup();
        let today = self.today().await?.to_string();
        let mut tx = self.store.begin_write().await?;
        let before = self.member_row_in(&mut tx, &today, member_id).await?;
        if before.roles == roles {
            return Ok(before.into());
        }
        if before.roles.contains(&Role::Admin) && !roles.contains(&Role::Admin) {
            self.keep_an_admin(&mut tx, &today, member_id).await?;
        }
        coop_store::members::set_roles(&mut tx, member_id, &roles).await?;
        self.journal(&mut tx, actor, "member.roles", &format!("member:{member_id}"), json!({"before": before.roles, "after": roles})).await?;
        tx.commit().await?;
        self.member_summary(member_id).await
    }

    /// Refuses a change that would leave the co-op with no admin who has not departed:
    /// nobody could then manage members or settings from the web.
    async fn keep_an_admin(&self, c: &mut coop_store::Conn, today: &str, leaving: i64) -> Result<()> {
        let others = coop_store::members::list(c, today, &MemberQuery::default())
            .await?
            .into_iter()
            .filter(|m| m.id != leaving && m.roles.contains(&Role::Admin) && m.state != Some(MemberState::Departed))
            .count();
        if others == 0 {
            return Err(AppError::Conflict("this is the co-op's last admin; make someone else admin first".into()));
        }
        Ok(())
    }

    /// Members with their state today, filtered and ordered by name.
    pub async fn list_members(&self, actor: &Actor, filter: &MemberFilter) -> Result<Vec<MemberSummary>> {
        policy::view_members(actor)?;
        let today = self.today().await?.to_string();
        let mut c = self.store.read().await?;
        let q = MemberQuery { search: filter.search.clone(), state: filter.state, ..MemberQuery::default() };
        Ok(coop_store::members::list(&mut c, &today, &q).await?.into_iter().map(MemberSummary::from).collect())
    }

    /// Page `page` (from 1) of [`App::list_members`], `per_page` members to a page (1 to
    /// 500), with how many match in all. A page past the last gives the last (an old link
    /// after members left, say).
    pub async fn list_members_page(&self, actor: &Actor, filter: &MemberFilter, page: u32, per_page: u32) -> Result<MemberPage> {
        policy::view_members(actor)?;
        if !(1..=500).contains(&per_page) {
            return Err(AppError::invalid("per_page", "a page holds 1 to 500 members"));
        }
        let offset = page.max(1).saturating_sub(1).saturating_mul(per_page);
        let today = self.today().await?.to_string();
        let mut c = self.store.read().await?;
        let q = MemberQuery { search: filter.search.clone(), state: filter.state, ..MemberQuery::default() };
        let (mut rows, total) = coop_store::members::list_page(&mut c, &today, &q, per_page, offset).await?;
        let pages = total.div_ceil(u64::from(per_page)).max(1) as u32;
        let mut page = page.max(1);
        if page > pages {
            page = pages;
            rows = coop_store::members::list_page(&mut c, &today, &q, per_page, (pages - 1) * per_page).await?.0;
        }
        Ok(MemberPage { members: rows.into_iter().map(MemberSummary::from).collect(), total, page, pages, per_page })
    }

    /// One member with their history.
    pub async fn member(&self, actor: &Actor, member_id: i64) -> Result<MemberDetail> {
        policy::view_members(actor)?;
        let today = self.today().await?;
        let mut c = self.store.read().await?;
        let row = self.member_row_in(&mut c, &today.to_string(), member_id).await?;
        let rows = coop_store::members::history_rows(&mut c, member_id).await?;
        let mut history = Vec::with_capacity(rows.len());
        for (id, ch, recorded_at) in &rows {
            history.push(HistoryItem {
                id: *id,
                state: ch.state,
                since: ch.since.to_string(),
                planned_end: ch.planned_end.map(|d| d.to_string()),
                note: ch.note.clone(),
                recorded_at: recorded_at.clone(),
                sealed_hash: coop_store::journal::sealed_hash(&mut c, coop_store::members::STATE_RECORD_KIND, &id.to_string()).await?,
            });
        }
        let states = coop_core::StateHistory::from_recorded(rows.into_iter().map(|(_, ch, _)| ch).collect());
        let has_password = coop_store::members::password_hash(&mut c, member_id).await?.is_some();
        Ok(MemberDetail {
            created_at: row.created_at.clone(),
            summary: row.into(),
            history,
            candidacy_due: states.candidacy_due(today, CANDIDACY_DUE_WINDOW_DAYS),
            has_password,
        })
    }

    /// Finds a member's id by email (CLI arguments name members by email).
    pub async fn member_id_by_email(&self, actor: &Actor, email: &str) -> Result<i64> {
        policy::view_members(actor)?;
        let email = valid_email(email)?;
        let mut c = self.store.read().await?;
        coop_store::members::login_lookup(&mut c, email.as_str())
            .await?
            .map(|(id, _)| id)
            .ok_or_else(|| AppError::NotFound(format!("member with email {email}")))
    }

    async fn member_summary(&self, member_id: i64) -> Result<MemberSummary> {
        let today = self.today().await?.to_string();
        let mut c = self.store.read().await?;
        Ok(self.member_row_in(&mut c, &today, member_id).await?.into())
    }

    /// The member's row with their state on `today` (passed in, so that no second
    /// connection is taken while `c` is held).
    pub(crate) async fn member_row_in(&self, c: &mut coop_store::Conn, today: &str, member_id: i64) -> Result<MemberRow> {
        coop_store::members::list(c, today, &MemberQuery { id: Some(member_id), ..MemberQuery::default() })
            .await?
            .pop()
            .ok_or_else(|| AppError::NotFound(format!("member {member_id}")))
    }
}

/// What the dashboard shows.
#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    /// Every state with its count today (zero counts included, in life-cycle order).
    pub members_by_state: Vec<(MemberState, i64)>,
    /// Candidacies ending within [`CANDIDACY_DUE_WINDOW_DAYS`] days or overdue, soonest first.
    pub candidacies_due: Vec<MemberSummary>,
    pub recent_journal: Vec<coop_store::JournalEntry>,
}

impl App {
    pub async fn dashboard(&self, actor: &Actor) -> Result<Dashboard> {
        policy::view_members(actor)?;
        let today = self.today().await?;
        let mut c = self.store.read().await?;
        let counts = coop_store::members::count_by_state(&mut c, &today.to_string()).await?;
        let members_by_state = MemberState::ALL
            .iter()
            .map(|s| (*s, counts.iter().find(|(c, _)| c == s).map(|(_, n)| *n).unwrap_or(0)))
            .collect();
        let q = MemberQuery { state: Some(MemberState::Candidate), ..MemberQuery::default() };
        let mut candidacies_due: Vec<MemberSummary> = coop_store::members::list(&mut c, &today.to_string(), &q)
            .await?
            .into_iter()
            .map(MemberSummary::from)
            .filter(|m| {
                let end = m.planned_end.as_deref().and_then(|d| coop_core::time::parse_date(d).ok());
                end.is_some_and(|end| coop_core::member::candidacy_due_on(end, today, CANDIDACY_DUE_WINDOW_DAYS))
            })
            .collect();
        candidacies_due.sort_by(|a, b| a.planned_end.cmp(&b.planned_end));
        let recent_journal = coop_store::journal::list(&mut c, &coop_store::JournalFilter { limit: 10, ..Default::default() }).await?;
        Ok(Dashboard { members_by_state, candidacies_due, recent_journal })
    }
}
