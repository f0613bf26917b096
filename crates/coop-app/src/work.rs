//! Work: logging hours, importing time trackers' files, yearly commitments, the hours report
//! and a member's balance against their commitment.
//!
//! Unknown projects and kinds of work: [`App::log_hours`] creates them only when the caller says
//! so ([`NewTimeEntry::create_unknown`]), and [`App::import_hours`] only when the
//! [`Mapping`]'s `create_unknown` is set; otherwise an unknown name is refused. The CLI sets
//! both (a project is a name, and a typo shows in the report); a web form would rather offer a
//! list. Entries of zero minutes in an import (Toggl writes entries of a few seconds) are
//! counted in `rows` but not recorded.

use crate::{policy, Actor, App, AppError, Result};
use coop_core::hours::{self, balance_on, BalanceOn, Commitment, DayLimit, Holidays, Minutes, YearInCoop};
use coop_core::import::{self, Format, ImportError, Mapping};
use coop_core::journal::sha256_hex;
use coop_store::work::{self as store, NewEntry};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// One entry to log.
#[derive(Clone, Debug)]
pub struct NewTimeEntry {
    pub member_id: i64,
    pub date: Date,
    pub minutes: Minutes,
    pub project: Option<String>,
    pub category: Option<String>,
    pub note: String,
    /// Create a project or kind of work the co-op does not have yet (else refuse it); creating
    /// one needs the right to manage projects.
    pub create_unknown: bool,
}

/// What `log_hours` recorded.
#[derive(Clone, Debug, Serialize)]
pub struct LoggedEntry {
    pub id: i64,
    pub member_id: i64,
    pub date: String,
    #[serde(serialize_with = "hours::serialize_hours")]
    pub hours: Minutes,
    /// The member's total for that day, this entry included.
    #[serde(serialize_with = "hours::serialize_hours")]
    pub day_total: Minutes,
    pub project: Option<String>,
    pub category: Option<String>,
}

/// What an import did, or would do with `dry_run`.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub format: Format,
    pub dry_run: bool,
    /// Time entries in the file.
    pub rows: usize,
    /// Entries recorded (or that would be): rows of more than zero minutes.
    pub would_import: usize,
    #[serde(serialize_with = "hours::serialize_hours")]
    pub hours: Minutes,
    /// Lines that look like an existing entry or an earlier line (imported all the same).
    pub duplicates: Vec<usize>,
    pub created_projects: Vec<String>,
    pub created_categories: Vec<String>,
    /// SHA-256 of the file's text.
    pub sha256: String,
}

/// One member's hours in a year, as `coop hours report --json` gives them.
#[derive(Clone, Debug, Serialize)]
pub struct HoursRow {
    pub email: String,
    pub hours: String,
    /// Hours per kind of work; entries without one under `"(none)"`.
    pub by_category: BTreeMap<String, String>,
}

/// A time entry as recorded, for [`App::time_entries`].
#[derive(Clone, Debug, Serialize)]
pub struct TimeEntry {
    pub id: i64,
    pub member_id: i64,
    pub date: String,
    /// The hours as they stand now (after any corrections).
    #[serde(serialize_with = "hours::serialize_hours")]
    pub hours: Minutes,
    pub project: Option<String>,
    /// The kind of work.
    pub category: Option<String>,
    pub note: String,
    /// `manual` or `import`.
    pub source: String,
    /// Its month's pay run is approved: the entry changes only through a correction.
    pub locked: bool,
    /// The corrections of this entry, oldest first.
    pub corrections: Vec<crate::pay::CorrectionView>,
}

/// The longest range [`App::time_entries`] lists in one request, in days (a leap year).
pub const MAX_ENTRY_DAYS: i64 = 366;

/// The key of entries without a kind of work in [`HoursRow::by_category`].
pub const NO_CATEGORY: &str = "(none)";

fn import_invalid(e: ImportError) -> AppError {
    AppError::invalid("file", format!("line {}: {}", e.line, e.message))
}

fn year_range(year: i16) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

fn contains_folded(names: &[String], name: &str) -> bool {
    names.iter().any(|n| n.to_lowercase() == name.to_lowercase())
}

/// The database ids an import's rows point at, by the indexes of a [`import::ResolvedFile`].
struct EntryIds<'a> {
    project: &'a [Option<i64>],
    category: &'a [Option<i64>],
    date_text: &'a HashMap<Date, String>,
}

/// Records the rows of more than zero minutes, in line order, [`store::ENTRY_BATCH`] at a time.
async fn insert_rows(tx: &mut coop_store::Conn, file: &import::ParsedFile, resolved: &import::ResolvedFile, ids: &EntryIds<'_>, now: &str) -> Result<()> {
    let mut batch: Vec<NewEntry> = Vec::with_capacity(store::ENTRY_BATCH);
    for r in file.rows.iter().filter(|r| r.minutes > 0) {
        batch.push(NewEntry {
            member_id: resolved.member(r),
            date: &ids.date_text[&r.date],
            minutes: i64::from(r.minutes),
            project_id: resolved.project(r).and_then(|p| ids.project[p as usize]),
            category_id: resolved.category(r).and_then(|k| ids.category[k as usize]),
            note: file.note(r),
            source: "import",
        });
        if batch.len() == store::ENTRY_BATCH {
            store::insert_entries(tx, &batch, now).await?;
            batch.clear();
        }
    }
    store::insert_entries(tx, &batch, now).await?;
    Ok(())
}

/// The 24-hour day over the entries already recorded (`existing`) and the file's rows in line
/// order: the first row that would bring a member's day over 24 hours refuses the file.
fn check_day_limit(file: &import::ParsedFile, resolved: &import::ResolvedFile, existing: &[(i64, Date, i64, Option<&str>)]) -> Result<()> {
    let mut day_totals: HashMap<(i64, Date), Minutes> = HashMap::new();
    for (m, d, min, _) in existing {
        *day_totals.entry((*m, *d)).or_insert(Minutes::ZERO) += Minutes(*min);
    }
    for r in &file.rows {
        let total = day_totals.entry((resolved.member(r), r.date)).or_insert(Minutes::ZERO);
        *total = DayLimit::check(*total, Minutes(i64::from(r.minutes))).map_err(|err| AppError::invalid("file", format!("line {}: {err}", r.line())))?;
    }
    Ok(())
}

impl App {
    /// Records one entry, refusing one that would bring the member's day over 24 hours.
    pub async fn log_hours(&self, actor: &Actor, entry: NewTimeEntry) -> Result<LoggedEntry> {
        policy::log_time(actor, entry.member_id)?;
        let project = entry.project.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let category = entry.category.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let date = entry.date.to_string();
        let now = self.now_text();
        let mut tx = self.store.begin_write().await?;
        // The member must exist.
        let today = self.today_in(&mut tx).await?;
        self.member_row_in(&mut tx, &today, entry.member_id).await?;
        self.ensure_month_open(&mut tx, &date).await?;
        let existing = Minutes(store::day_minutes(&mut tx, entry.member_id, &date).await?);
        let day_total = DayLimit::check(existing, entry.minutes).map_err(|e| AppError::invalid("hours", e.to_string()))?;
        let project_id = match &project {
            None => None,
            Some(p) => match store::project_id(&mut tx, p).await? {
                Some(id) => Some(id),
                None if entry.create_unknown => {
                    policy::manage_projects(actor)?;
                    Some(store::insert_project(&mut tx, p, None, true, &now).await?)
                }
                None => return Err(AppError::invalid("project", format!("the co-op has no project {p:?}"))),
            },
        };
        let category_id = match &category {
            None => None,
            Some(k) => match store::category_id(&mut tx, k).await? {
                Some(id) => Some(id),
                None if entry.create_unknown => {
                    policy::manage_projects(actor)?;
                    Some(store::insert_category(&mut tx, k, &now).await?)
                }
                None => return Err(AppError::invalid("category", format!("the co-op has no kind of work {k:?}"))),
            },
        };
        let new = NewEntry {
            member_id: entry.member_id,
            date: &date,
            minutes: entry.minutes.get(),
            project_id,
            category_id,
            note: entry.note.trim(),
            source: "manual",
        };
        let id = store::insert_entry(&mut tx, &new, &now).await?;
        self.journal(
            &mut tx,
            actor,
            "hours.log",
            &format!("member:{}", entry.member_id),
            json!({"entry": id, "date": date, "minutes": entry.minutes.get(), "project": project, "category": category, "note": new.note}),
        )
        .await?;
        tx.commit().await?;
        Ok(LoggedEntry { id, member_id: entry.member_id, date, hours: entry.minutes, day_total, project, category })
    }

    /// Imports a time tracker's CSV file, all or nothing, in one transaction with one journal
    /// entry. A bad line (or one that would bring a day over 24 hours, counting the entries
    /// already recorded and the file's earlier lines) refuses the whole file, naming the line.
    /// With `dry_run` nothing is written, not even a journal entry.
    pub async fn import_hours(&self, actor: &Actor, text: &str, format: Option<Format>, dry_run: bool, mapping: &Mapping) -> Result<ImportReport> {
        policy::import_time(actor)?;
        let format = match format {
            Some(f) => f,
            None => import::detect(text)
                .ok_or_else(|| AppError::invalid("file", "line 1: cannot tell which tool wrote this file; give --format generic, toggl, kimai or harvest"))?,
        };
        // The compact form: a million rows in some 40 MB, people and names read once.
        let file = import::parse_compact(format, text).map_err(import_invalid)?;
        let sha256 = sha256_hex(text.as_bytes());
        let now = self.now_text();
        let mut tx = self.store.begin_write().await?;
        let members = store::member_names(&mut tx).await?;
        let projects = store::project_names(&mut tx).await?;
        let categories = store::category_names(&mut tx).await?;
        let resolved = import::resolve_compact(&file, &members, &projects, &categories, mapping).map_err(import_invalid)?;
        // A month whose pay run is approved is locked: name the first line that falls in one.
        let mut months: Vec<(i16, i8, usize)> = Vec::new();
        for r in &file.rows {
            let key = (r.date.year(), r.date.month());
            if !months.iter().any(|(y, m, _)| (*y, *m) == key) {
                months.push((key.0, key.1, r.line()));
            }
        }
        for (year, month, line) in months {
            let first = format!("{year:04}-{month:02}-01");
            if coop_store::pay::month_locked(&mut tx, &first).await? {
                return Err(AppError::invalid(
                    "file",
                    format!("line {line}: the pay run of {year:04}-{month:02} is approved, so its hours are locked; record corrections instead"),
                ));
            }
        }

        // Existing entries over the file's dates: for the 24-hour day and for duplicates.
        let existing_keys = match (file.rows.iter().map(|r| r.date).min(), file.rows.iter().map(|r| r.date).max()) {
            (Some(from), Some(to)) => store::entry_keys_between(&mut tx, &from.to_string(), &to.to_string()).await?,
            _ => Vec::new(),
        };
        let project_names_by_id: HashMap<i64, String> =
            if existing_keys.is_empty() { HashMap::new() } else { store::projects_by_id(&mut tx).await?.into_iter().collect() };
        let mut dates: HashMap<String, Date> = HashMap::new();
        let mut existing: Vec<(i64, Date, i64, Option<&str>)> = Vec::with_capacity(existing_keys.len());
        for (m, d, min, p) in &existing_keys {
            let date = match dates.get(d) {
                Some(date) => *date,
                None => {
                    let date = coop_core::time::parse_date(d).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(e)))?;
                    dates.insert(d.clone(), date);
                    date
                }
            };
            existing.push((*m, date, *min, p.and_then(|p| project_names_by_id.get(&p)).map(String::as_str)));
        }
        check_day_limit(&file, &resolved, &existing)?;
        let duplicates = resolved.duplicates(&file, &existing);

        // Each project and kind of work the entries name, in the order of first use, with the
        // billable flag of the first line naming the project (for a project to create).
        let mut project_first: Vec<Option<Option<bool>>> = vec![None; resolved.projects.len()];
        let mut project_order: Vec<u32> = Vec::new();
        let mut category_seen = vec![false; resolved.categories.len()];
        let mut category_order: Vec<u32> = Vec::new();
        for r in &file.rows {
            if let Some(p) = resolved.project(r) {
                if project_first[p as usize].is_none() {
                    project_first[p as usize] = Some(r.billable);
                    project_order.push(p);
                }
            }
            if let Some(k) = resolved.category(r) {
                if !category_seen[k as usize] {
                    category_seen[k as usize] = true;
                    category_order.push(k);
                }
            }
        }
        let mut created_projects: Vec<String> = Vec::new();
        for &p in &project_order {
            let p = &resolved.projects[p as usize];
            if !contains_folded(&projects, p) && !contains_folded(&created_projects, p) {
                created_projects.push(p.clone());
            }
        }
        let mut created_categories: Vec<String> = Vec::new();
        for &k in &category_order {
            let k = &resolved.categories[k as usize];
            if !contains_folded(&categories, k) && !contains_folded(&created_categories, k) {
                created_categories.push(k.clone());
            }
        }
        let (would_import, total) =
            file.rows.iter().filter(|r| r.minutes > 0).fold((0usize, Minutes::ZERO), |(n, t), r| (n + 1, t + Minutes(i64::from(r.minutes))));
        let report =
            ImportReport { format, dry_run, rows: file.rows.len(), would_import, hours: total, duplicates, created_projects, created_categories, sha256 };
        if dry_run {
            // Dropping the transaction rolls back; nothing was written anyway.
            return Ok(report);
        }

        // The id of each resolved project and kind of work, created where the report says so.
        let mut project_ids: Vec<Option<i64>> = vec![None; resolved.projects.len()];
        for &p in &project_order {
            let name = &resolved.projects[p as usize];
            let id = if contains_folded(&report.created_projects, name) {
                let billable = project_first[p as usize].flatten().unwrap_or(true);
                store::insert_project(&mut tx, name, None, billable, &now).await?
            } else {
                store::project_id(&mut tx, name).await?.ok_or_else(|| AppError::NotFound(format!("project {name}")))?
            };
            project_ids[p as usize] = Some(id);
        }
        let mut category_ids: Vec<Option<i64>> = vec![None; resolved.categories.len()];
        for &k in &category_order {
            let name = &resolved.categories[k as usize];
            let id = if contains_folded(&report.created_categories, name) {
                store::insert_category(&mut tx, name, &now).await?
            } else {
                store::category_id(&mut tx, name).await?.ok_or_else(|| AppError::NotFound(format!("kind of work {name}")))?
            };
            category_ids[k as usize] = Some(id);
        }
        // Dates as text, once per day rather than once per row.
        let mut date_text: HashMap<Date, String> = HashMap::new();
        for r in &file.rows {
            date_text.entry(r.date).or_insert_with(|| r.date.to_string());
        }
        let ids = EntryIds { project: &project_ids, category: &category_ids, date_text: &date_text };
        let cache = store::begin_bulk_write(&mut tx).await?;
        let inserted = insert_rows(&mut tx, &file, &resolved, &ids, &now).await;
        // The connection goes back to the pool with its usual page cache, whatever happened.
        let restored = store::end_bulk_write(&mut tx, cache).await;
        inserted?;
        restored?;
        self.journal(
            &mut tx,
            actor,
            "hours.import",
            &format!("import:{}", report.sha256),
            json!({
                "format": format.as_str(), "count": report.would_import, "minutes": total.get(), "sha256": report.sha256,
                "duplicates": report.duplicates, "created_projects": report.created_projects, "created_categories": report.created_categories,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// A member's time entries from `from` to `to` (both included, at most [`MAX_ENTRY_DAYS`]
    /// days), on one project when `project` names one (ignoring case), ordered by date then id;
    /// each with whether its month is locked by an approved pay run and its corrections. A
    /// member sees their own entries, an admin (and the command line) anyone's.
    pub async fn time_entries(&self, actor: &Actor, member_id: i64, from: Date, to: Date, project: Option<&str>) -> Result<Vec<TimeEntry>> {
        policy::view_hours(actor)?;
        policy::log_time(actor, member_id).map_err(|_| AppError::Forbidden("a member sees only their own time entries; an admin sees anyone's".into()))?;
        if to < from {
            return Err(AppError::invalid("to", format!("{to} is before {from}: the range ends on or after the day it starts")));
        }
        let days = (to - from).get_days() + 1;
        if i64::from(days) > MAX_ENTRY_DAYS {
            return Err(AppError::invalid("to", format!("{from} to {to} is {days} days: ask for at most {MAX_ENTRY_DAYS} days at a time")));
        }
        let (from, to) = (from.to_string(), to.to_string());
        let today = self.today().await?.to_string();
        let mut c = self.store.read().await?;
        self.member_row_in(&mut c, &today, member_id).await?;
        let project_id = match project.map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => Some(store::project_id(&mut c, p).await?.ok_or_else(|| AppError::invalid("project", format!("the co-op has no project {p:?}")))?),
        };
        let rows = store::member_entries_between(&mut c, member_id, &from, &to, project_id).await?;
        let locked = store::locked_months_between(&mut c, &from, &to).await?;
        let mut corrections: HashMap<i64, Vec<crate::pay::CorrectionView>> = HashMap::new();
        for k in store::member_corrections_between(&mut c, member_id, &from, &to).await? {
            corrections.entry(k.entry_id).or_default().push(crate::pay::CorrectionView {
                id: k.id,
                entry_id: k.entry_id,
                member_id: k.member_id,
                date: k.date,
                old_hours: Minutes(k.old_minutes).to_hours_string(),
                new_hours: Minutes(k.new_minutes).to_hours_string(),
                reason: k.reason,
                actor: k.actor,
                at: k.created_at,
                settled_in: k.settled_in,
            });
        }
        Ok(rows
            .into_iter()
            .map(|e| TimeEntry {
                locked: locked.iter().any(|m| m == coop_store::pay::month_of(&e.date)),
                corrections: corrections.remove(&e.id).unwrap_or_default(),
                id: e.id,
                member_id: e.member_id,
                date: e.date,
                hours: Minutes(e.minutes),
                project: e.project,
                category: e.category,
                note: e.note,
                source: e.source,
            })
            .collect())
    }

    /// Sets (or replaces) a member's declared hours and leave entitlement for a year. An
    /// entitlement smaller than the leave already recorded that year is refused.
    pub async fn set_commitment(&self, actor: &Actor, member_id: i64, year: i16, declared: Minutes, leave_weeks: u8) -> Result<()> {
        policy::manage_commitments(actor)?;
        let c = Commitment::new(year, declared, leave_weeks).map_err(|e| AppError::invalid("commitment", e.to_string()))?;
        let mut tx = self.store.begin_write().await?;
        let today = self.today_in(&mut tx).await?;
        self.member_row_in(&mut tx, &today, member_id).await?;
        // Leave already recorded must stay within the entitlement: it is paid time.
        let (first, last) = year_range(year);
        let taken = coop_store::pay::leave_dates(&mut tx, member_id, &first, &last).await?.len();
        let taken = u32::try_from(taken).unwrap_or(u32::MAX);
        if taken > c.leave_days() {
            return Err(AppError::invalid(
                "leave_weeks",
                format!("{taken} days of leave are already recorded in {year}, more than {leave_weeks} weeks ({} days): cancel leave first or keep more weeks", c.leave_days()),
            ));
        }
        store::set_commitment(&mut tx, member_id, year.into(), c.declared_minutes().get(), c.leave_weeks().into(), &self.now_text()).await?;
        self.journal(
            &mut tx,
            actor,
            "commitment.set",
            &format!("member:{member_id}"),
            json!({"year": year, "declared_minutes": c.declared_minutes().get(), "leave_weeks": c.leave_weeks()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Each member's hours in a year with the split by kind of work, by email; members without
    /// hours that year are left out.
    pub async fn hours_report(&self, actor: &Actor, year: i16) -> Result<Vec<HoursRow>> {
        policy::view_hours(actor)?;
        let (from, to) = year_range(year);
        let mut c = self.store.read().await?;
        // Sums by ids from the covering index; the few hundred names are joined here.
        let sums = store::minutes_by_member_id_category_id(&mut c, &from, &to).await?;
        let emails: HashMap<i64, String> = store::member_emails(&mut c).await?.into_iter().collect();
        let kinds: HashMap<i64, String> = store::categories_by_id(&mut c).await?.into_iter().collect();
        let mut by_member: BTreeMap<&str, (Minutes, BTreeMap<&str, Minutes>)> = BTreeMap::new();
        for (member_id, category_id, minutes) in sums {
            let Some(email) = emails.get(&member_id) else { continue };
            let kind = category_id.and_then(|k| kinds.get(&k)).map_or(NO_CATEGORY, String::as_str);
            let entry = by_member.entry(email.as_str()).or_insert((Minutes::ZERO, BTreeMap::new()));
            entry.0 += Minutes(minutes);
            *entry.1.entry(kind).or_insert(Minutes::ZERO) += Minutes(minutes);
        }
        Ok(by_member
            .into_iter()
            .map(|(email, (total, cats))| HoursRow {
                email: email.to_string(),
                hours: total.to_hours_string(),
                by_category: cats.into_iter().map(|(k, m)| (k.to_string(), m.to_hours_string())).collect(),
            })
            .collect())
    }

    /// A member's balance on `on` against their commitment for `year`: expected hours pro-rated
    /// over the working days (Monday to Friday; the co-op has no holidays yet) the member was a
    /// member or candidate, against the hours worked and the paid leave taken from 1 January to
    /// `on`.
    pub async fn hours_balance(&self, actor: &Actor, member_id: i64, year: i16, on: Date) -> Result<BalanceOn> {
        policy::view_hours(actor)?;
        let mut c = self.store.read().await?;
        let (declared, leave_weeks) = store::commitment(&mut c, member_id, year.into())
            .await?
            .ok_or_else(|| AppError::NotFound(format!("commitment of member {member_id} for {year}")))?;
        let leave_weeks = u8::try_from(leave_weeks).map_err(|_| AppError::Store(coop_store::StoreError::Corrupt("leave weeks".into())))?;
        let commitment = Commitment::new(year, Minutes(declared), leave_weeks).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(e.to_string())))?;
        let history = coop_store::members::history(&mut c, member_id).await?;
        let in_coop = YearInCoop::from_history(&history, year, hours::COUNTS_MEMBERS_AND_CANDIDATES);
        let (from, last) = year_range(year);
        let to = on.to_string().min(last);
        let worked = if to < from { 0 } else { store::minutes_between(&mut c, member_id, &from, &to).await? };
        let leave = if to < from { Minutes::ZERO } else { self.leave_value_to(&mut c, member_id, year, coop_core::time::parse_date(&to).map_err(|e| AppError::invalid("on", e))?).await? };
        Ok(balance_on(&commitment, &in_coop, on, Minutes(worked), leave, &Holidays::none()))
    }

    /// The date (UTC) on which a member is looked up inside a write transaction: only whether
    /// the member exists matters there, and [`App::today`] would take a second connection.
    async fn today_in(&self, _c: &mut coop_store::Conn) -> Result<String> {
        Ok(self.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
    }
}
