//! Pay: rates of kinds of work, leave taken, the pay system adopted by decision, monthly pay
//! runs with their approval lock, and corrections to locked months.
//!
//! How a month is paid:
//! 1. A pay system (`coop_core::pay::PaySystem`) is proposed with the first month it governs;
//!    it is adopted only when that proposal passes (or recorded against a proposal that
//!    already passed, e.g. one decided at a meeting by a show of hands).
//! 2. `pay_run` computes the month under the system in force on its first day and keeps it as
//!    a draft, recomputed each time until it is approved.
//! 3. Approval freezes and seals the run and locks the month: its hours and leave then change
//!    only by [`App::correct_entry`], which keeps the old value; the next approved run pays
//!    (or recovers) the difference as an adjustment line, computed by re-running the corrected
//!    month under its own system and comparing with what was approved.

use crate::decisions::ProposalInput;
use crate::{policy, Actor, App, AppError, Result};
use coop_core::hours::{self, leave_value, Commitment, Holidays, Minutes, YearInCoop};
use coop_core::money::Money;
use coop_core::pay::{pay_month, MemberMonth, PaySystem, WorkedMinutes};
use coop_store::pay as store;
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    pub fn parse(s: &str) -> Result<Month> {
        let bad = || AppError::invalid("month", format!("{s:?} is not a month: write YYYY-MM, e.g. 2027-03"));
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        Date::new(year, month, 1).map_err(|_| bad())?;
        Ok(Month { year, month })
    }

    pub fn of(date: Date) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a valid month")
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    pub fn text(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// A version of the pay system as shown.
#[derive(Clone, Debug, Serialize)]
pub struct PaySystemView {
    pub version: i64,
    /// `YYYY-MM-01`: the first month it governs.
    pub effective_from: String,
    pub system: PaySystem,
    pub proposal_id: i64,
    /// `pending`, `adopted` or `rejected`.
    pub status: String,
}

/// One member's line in a pay run, with the email the payroll provider matches on.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PayRunMember {
    pub member_id: i64,
    pub email: String,
    pub name: String,
    /// The month's pay under the system, as `"1234.56"`.
    pub gross: String,
    /// Paid hours, as `"160.00"`.
    pub paid_hours: String,
    /// The lines that explain `gross`, from `coop_core::pay::PayLine`.
    pub lines: Vec<Value>,
    /// Differences owed for corrections to earlier, locked months.
    pub adjustments: Vec<Adjustment>,
    /// `gross` plus the adjustments: what the payroll provider pays.
    pub total: String,
}

/// A correction's effect on an earlier month's pay, settled in this run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Adjustment {
    /// The corrected month, `YYYY-MM`.
    pub month: String,
    pub amount_cents: i64,
    /// The corrections it settles.
    pub corrections: Vec<i64>,
}

/// A month's pay run as stored and shown.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PayRunView {
    pub month: String,
    /// `draft` or `approved`.
    pub status: String,
    pub pay_system_version: i64,
    pub members: Vec<PayRunMember>,
    /// Sum of the members' totals, `"12345.67"`.
    pub total: String,
    pub total_cents: i64,
    /// What happened to the bonus pool, when the system has one.
    pub bonus_note: Option<String>,
    /// The top-to-bottom ratio check (`coop_core::pay::RatioCheck`).
    pub ratio: Value,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub sealed_hash: Option<String>,
}

/// A kind of work's rate and weight, one version.
#[derive(Clone, Debug, Serialize)]
pub struct KindRateView {
    pub kind: String,
    pub effective_from: String,
    /// `None`: paid at the system's general rate.
    pub rate: Option<String>,
    /// Patronage weight, `"1.00"`.
    pub weight: String,
}

/// A correction in the trail.
#[derive(Clone, Debug, Serialize)]
pub struct CorrectionView {
    pub id: i64,
    pub entry_id: i64,
    pub member_id: i64,
    pub date: String,
    pub old_hours: String,
    pub new_hours: String,
    pub reason: String,
    pub actor: String,
    pub at: String,
    /// The pay run (by id) that settled it.
    pub settled_in: Option<i64>,
}

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::Store(coop_store::StoreError::Corrupt(what.to_string()))
}

fn weight_text(hundredths: i64) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Parses a patronage weight such as `"1"`, `"1.5"` or `"0.75"` into hundredths.
pub fn parse_weight(s: &str) -> Result<i64> {
    let bad = || AppError::invalid("weight", format!("{s:?} is not a weight: write a number with up to two decimals, e.g. 1.5"));
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 4 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    Ok(whole * 100 + frac)
}

impl App {
    /// Refuses a change to the hours or leave of `date` (`YYYY-MM-DD`) when its month's pay
    /// run is approved: a locked month changes only through a correction, which leaves a trail
    /// and is settled in the next pay run.
    pub async fn ensure_month_open(&self, c: &mut coop_store::Conn, date: &str) -> Result<()> {
        if store::month_locked(c, date).await? {
            return Err(AppError::Conflict(format!(
                "the pay run of {} is approved, so its hours are locked; record a correction instead",
                store::month_of(date)
            )));
        }
        Ok(())
    }

    /// Sets a kind of work's hourly rate (`None`: the general rate) and patronage weight
    /// (hundredths) from the first day of a month on. Rates change with the month because pay
    /// runs are monthly; a month already paid keeps its rate.
    pub async fn set_kind_rate(&self, actor: &Actor, kind: &str, from: Month, rate: Option<Money>, weight_hundredths: i64) -> Result<KindRateView> {
        policy::manage_pay(actor)?;
        if rate.is_some_and(|r| r.cents() < 0) {
            return Err(AppError::invalid("rate", "a rate cannot be negative"));
        }
        if !(0..=100_000).contains(&weight_hundredths) {
            return Err(AppError::invalid("weight", "a weight is between 0 and 1000"));
        }
        let from_text = from.first_day().to_string();
        let mut tx = self.store.begin_write().await?;
        if store::month_locked(&mut tx, &from_text).await? {
            return Err(AppError::Conflict(format!("the pay run of {} is approved: set the rate from a later month", from.text())));
        }
        let category_id = coop_store::work::category_id(&mut tx, kind.trim())
            .await?
            .ok_or_else(|| AppError::invalid("kind", format!("the co-op has no kind of work {:?}", kind.trim())))?;
        store::set_category_rate(&mut tx, category_id, &from_text, rate.map(Money::cents), weight_hundredths, &self.now_text()).await?;
        self.journal(
            &mut tx,
            actor,
            "kind.rate",
            &format!("kind:{}", kind.trim()),
            json!({"from": from_text, "rate_cents": rate.map(Money::cents), "weight_hundredths": weight_hundredths}),
        )
        .await?;
        tx.commit().await?;
        Ok(KindRateView { kind: kind.trim().to_string(), effective_from: from_text, rate: rate.map(Money::to_decimal), weight: weight_text(weight_hundredths) })
    }

    /// Every version of every kind of work's rate and weight.
    pub async fn kind_rates(&self, actor: &Actor) -> Result<Vec<KindRateView>> {
        policy::view_pay(actor)?;
        let mut c = self.store.read().await?;
        Ok(store::category_rates(&mut c)
            .await?
            .into_iter()
            .map(|r| KindRateView { kind: r.category, effective_from: r.effective_from, rate: r.rate_cents.map(|c| Money(c).to_decimal()), weight: weight_text(r.weight_hundredths) })
            .collect())
    }

    /// Records paid leave on every working day from `from` to `to` (weekends are skipped; days
    /// already recorded are kept). Refused beyond the member's entitlement for the year, without
    /// a commitment for the year, across years, or in a locked month. Returns the days added.
    pub async fn take_leave(&self, actor: &Actor, member_id: i64, from: Date, to: Date, note: &str) -> Result<Vec<String>> {
        policy::log_time(actor, member_id)?;
        if to < from {
            return Err(AppError::invalid("to", "the last day of leave is before the first"));
        }
        if to.year() != from.year() {
            return Err(AppError::invalid("to", "record leave one year at a time: each year has its own entitlement"));
        }
        let year = from.year();
        let mut tx = self.store.begin_write().await?;
        let today = self.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
        self.member_row_in(&mut tx, &today, member_id).await?;
        let commitment = commitment_in(&mut tx, member_id, year)
            .await?
            .ok_or_else(|| AppError::invalid("member", format!("the member has no commitment for {year}: set their declared hours and leave weeks first")))?;
        let (first, last) = (Date::new(year, 1, 1).expect("1 January"), Date::new(year, 12, 31).expect("31 December"));
        let mut taken: BTreeSet<String> = store::leave_dates(&mut tx, member_id, &first.to_string(), &last.to_string()).await?.into_iter().collect();
        let mut added = Vec::new();
        let mut day = from;
        while day <= to {
            if hours::is_weekday(day) {
                let text = day.to_string();
                if !taken.contains(&text) {
                    self.ensure_month_open(&mut tx, &text).await?;
                    store::insert_leave(&mut tx, member_id, &text, note.trim(), &self.now_text()).await?;
                    taken.insert(text.clone());
                    added.push(text);
                }
            }
            day = day.tomorrow().map_err(|e| AppError::invalid("to", e.to_string()))?;
        }
        let total_days = u32::try_from(taken.len()).unwrap_or(u32::MAX);
        leave_value(&commitment, total_days, &Holidays::none()).map_err(|e| AppError::invalid("to", e.to_string()))?;
        if !added.is_empty() {
            self.journal(&mut tx, actor, "leave.take", &format!("member:{member_id}"), json!({"days": added, "note": note.trim(), "year_total_days": total_days}))
                .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Removes a recorded day of leave (not in a locked month).
    pub async fn cancel_leave(&self, actor: &Actor, member_id: i64, date: Date) -> Result<()> {
        policy::log_time(actor, member_id)?;
        let text = date.to_string();
        let mut tx = self.store.begin_write().await?;
        self.ensure_month_open(&mut tx, &text).await?;
        if !store::delete_leave(&mut tx, member_id, &text).await? {
            return Err(AppError::NotFound(format!("leave of member {member_id} on {text}")));
        }
        self.journal(&mut tx, actor, "leave.cancel", &format!("member:{member_id}"), json!({"date": text})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The value of the member's leave taken from 1 January to `on`: each day worth one working
    /// day of the declaration ([`leave_value`]); zero without a commitment.
    pub(crate) async fn leave_value_to(&self, c: &mut coop_store::Conn, member_id: i64, year: i16, on: Date) -> Result<Minutes> {
        let Some(commitment) = commitment_in(c, member_id, year).await? else { return Ok(Minutes::ZERO) };
        let first = Date::new(year, 1, 1).expect("1 January").to_string();
        let days = store::leave_dates(c, member_id, &first, &on.to_string()).await?.len();
        leave_value(&commitment, u32::try_from(days).unwrap_or(u32::MAX), &Holidays::none()).map_err(corrupt)
    }

    /// Opens a proposal to adopt `system` from the first day of `from`, under `class` (the
    /// class that governs the rules if `None`). It applies only if the proposal passes.
    pub async fn propose_pay_system(&self, actor: &Actor, system: PaySystem, from: Month, class: Option<String>, closes_at: Option<Timestamp>) -> Result<(i64, PaySystemView)> {
        policy::manage_pay(actor)?;
        system.validate().map_err(|e| AppError::invalid("system", e.to_string()))?;
        let class = match class {
            Some(c) => c,
            None => {
                let mut c = self.store.read().await?;
                coop_store::decisions::governing_class(&mut c)
                    .await?
                    .map(|c| c.name)
                    .ok_or_else(|| AppError::Conflict("the co-op has no decision class yet: set one (coop class set) before adopting a pay system".into()))?
            }
        };
        let system_json = system.to_json();
        let amendment = json!({"amends": "pay_system", "effective_from": from.first_day().to_string(), "system": serde_json::from_str::<Value>(&system_json).map_err(corrupt)?});
        let proposal = self
            .open_proposal(
                actor,
                ProposalInput {
                    class,
                    title: format!("Adopt the pay system from {}", from.text()),
                    body: format!("Pay members from {} under this pay system:\n\n```json\n{}\n```", from.text(), system_json),
                    closes_at,
                    secret: false,
                    meeting_id: None,
                },
                Some(amendment),
            )
            .await?;
        let mut tx = self.store.begin_write().await?;
        let version = store::insert_pay_system(&mut tx, &from.first_day().to_string(), &system_json, proposal.id, "pending", &self.now_text()).await?;
        self.journal(&mut tx, actor, "pay_system.propose", &format!("pay_system:{version}"), json!({"proposal": proposal.id, "from": from.text()})).await?;
        tx.commit().await?;
        // A proposal that already closed (everyone eligible voted at once is impossible here,
        // but a meeting proposal may be decided before this line) is settled below.
        let view = self.settle_pay_system_of(proposal.id).await?.unwrap_or(PaySystemView {
            version,
            effective_from: from.first_day().to_string(),
            system,
            proposal_id: proposal.id,
            status: "pending".into(),
        });
        Ok((proposal.id, view))
    }

    /// Records `system` from `from` as adopted by a proposal that has already passed (a
    /// decision taken at a meeting, say). The proposal must have passed.
    pub async fn record_pay_system(&self, actor: &Actor, system: PaySystem, from: Month, adopted_by: i64) -> Result<PaySystemView> {
        policy::manage_pay(actor)?;
        system.validate().map_err(|e| AppError::invalid("system", e.to_string()))?;
        let mut tx = self.store.begin_write().await?;
        let proposal = coop_store::decisions::proposal(&mut tx, adopted_by).await?.ok_or_else(|| AppError::NotFound(format!("proposal {adopted_by}")))?;
        if proposal.status != "passed" {
            return Err(AppError::invalid("adopted_by", format!("proposal {adopted_by} has not passed (it is {}): a pay system is adopted only by a decision", proposal.status)));
        }
        if store::month_locked(&mut tx, &from.first_day().to_string()).await? {
            return Err(AppError::Conflict(format!("the pay run of {} is approved: a new pay system can govern only later months", from.text())));
        }
        let version = store::insert_pay_system(&mut tx, &from.first_day().to_string(), &system.to_json(), adopted_by, "adopted", &self.now_text()).await?;
        self.journal(&mut tx, actor, "pay_system.adopt", &format!("pay_system:{version}"), json!({"proposal": adopted_by, "from": from.text(), "system": serde_json::from_str::<Value>(&system.to_json()).map_err(corrupt)?}))
            .await?;
        tx.commit().await?;
        Ok(PaySystemView { version, effective_from: from.first_day().to_string(), system, proposal_id: adopted_by, status: "adopted".into() })
    }

    /// Applies a decided proposal to the pay-system version it would adopt (inside the
    /// transaction that decides it).
    pub(crate) async fn conclude_pay_system(&self, tx: &mut coop_store::WriteTx, actor: &Actor, proposal_id: i64, passed: bool) -> Result<()> {
        let Some(row) = store::pay_system_by_proposal(tx, proposal_id).await? else { return Ok(()) };
        if row.status != "pending" {
            return Ok(());
        }
        let status = if passed { "adopted" } else { "rejected" };
        store::settle_pay_system(tx, row.version, status).await?;
        self.journal(tx, actor, &format!("pay_system.{}", if passed { "adopt" } else { "reject" }), &format!("pay_system:{}", row.version), json!({"proposal": proposal_id}))
            .await?;
        Ok(())
    }

    /// The version a proposal carries, after settling it if the proposal was already decided.
    async fn settle_pay_system_of(&self, proposal_id: i64) -> Result<Option<PaySystemView>> {
        let mut tx = self.store.begin_write().await?;
        let status = coop_store::decisions::proposal(&mut tx, proposal_id).await?.map(|p| p.status).unwrap_or_default();
        if status == "passed" || status == "failed" || status == "blocked" {
            self.conclude_pay_system(&mut tx, &Actor::System, proposal_id, status == "passed").await?;
        }
        let row = store::pay_system_by_proposal(&mut tx, proposal_id).await?;
        tx.commit().await?;
        row.map(system_view).transpose()
    }

    /// Every version of the pay system, newest first.
    pub async fn pay_systems(&self, actor: &Actor) -> Result<Vec<PaySystemView>> {
        policy::view_pay(actor)?;
        let mut c = self.store.read().await?;
        store::pay_systems(&mut c).await?.into_iter().map(system_view).collect()
    }

    /// The month's pay run: the approved one as it was approved, or a draft computed now from
    /// the hours as they stand (reading changes nothing; approval computes it again).
    pub async fn pay_run(&self, actor: &Actor, month: Month) -> Result<PayRunView> {
        policy::view_pay(actor)?;
        let mut c = self.store.read().await?;
        if let Some(run) = store::pay_run(&mut c, &month.text()).await? {
            if run.status == "approved" {
                drop(c);
                return self.stored_run(run).await;
            }
        }
        let (view, _) = self.compute_run(&mut c, month).await?;
        Ok(view)
    }

    /// Approves the month's run as computed now: it is stored, sealed in the journal, and the
    /// month's hours and leave are locked. The corrections it settles are marked.
    pub async fn approve_pay_run(&self, actor: &Actor, month: Month) -> Result<PayRunView> {
        policy::manage_pay(actor)?;
        let mut tx = self.store.begin_write().await?;
        if let Some(run) = store::pay_run(&mut tx, &month.text()).await? {
            if run.status == "approved" {
                return Err(AppError::Conflict(format!("the pay run of {} is already approved", month.text())));
            }
        }
        let (mut view, settled) = self.compute_run(&mut tx, month).await?;
        let now = self.now_text();
        view.status = "approved".into();
        view.approved_at = Some(now.clone());
        view.approved_by = Some(actor.journal_name());
        let result = serde_json::to_string(&view).map_err(corrupt)?;
        let run_id = store::save_draft(&mut tx, &view.month, view.pay_system_version, view.total_cents, &result, &now).await?;
        store::approve_run(&mut tx, &view.month, &actor.journal_name(), &now).await?;
        store::settle_corrections(&mut tx, &settled, run_id).await?;
        self.journal(&mut tx, actor, "pay_run.approve", &format!("pay_run:{}", view.month), json!({"total_cents": view.total_cents, "members": view.members.len(), "corrections": settled}))
            .await?;
        let content = store::pay_run_content(&mut tx, run_id).await?.ok_or_else(|| AppError::NotFound(format!("pay run {}", view.month)))?;
        let hash = coop_store::journal::seal(&mut tx, &now, &actor.journal_name(), store::PAY_RUN_RECORD_KIND, &run_id.to_string(), &content).await?;
        tx.commit().await?;
        view.sealed_hash = Some(hash);
        Ok(view)
    }

    /// The month's run for the payroll provider: one row per member, `email,name,month,
    /// paid_hours,gross,adjustments,total`. Only an approved run is exported.
    pub async fn pay_run_csv(&self, actor: &Actor, month: Month) -> Result<String> {
        policy::manage_pay(actor)?;
        let run = {
            let mut c = self.store.read().await?;
            store::pay_run(&mut c, &month.text()).await?
        };
        let run = match run {
            Some(r) if r.status == "approved" => self.stored_run(r).await?,
            _ => return Err(AppError::Conflict(format!("the pay run of {} is not approved yet: approve it before sending it to payroll", month.text()))),
        };
        let mut out = csv_line(&["email", "name", "month", "paid_hours", "gross", "adjustments", "total"]);
        for m in &run.members {
            let adjustments: i64 = m.adjustments.iter().map(|a| a.amount_cents).sum();
            out.push_str(&csv_line(&[&m.email, &m.name, &run.month, &m.paid_hours, &m.gross, &Money(adjustments).to_decimal(), &m.total]));
        }
        Ok(out)
    }

    /// Every pay run, newest month first (their lines are in [`App::pay_run`]).
    pub async fn pay_runs(&self, actor: &Actor) -> Result<Vec<PayRunView>> {
        policy::view_pay(actor)?;
        let rows = {
            let mut c = self.store.read().await?;
            store::pay_runs(&mut c).await?
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.stored_run(r).await?);
        }
        Ok(out)
    }

    /// Changes a time entry's hours with a reason, keeping the old value. In a locked month
    /// this is the only way to change hours; the difference in pay is settled by the next
    /// approved pay run.
    pub async fn correct_entry(&self, actor: &Actor, entry_id: i64, minutes: Minutes, reason: &str) -> Result<CorrectionView> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::invalid("reason", "say why the hours are corrected: the trail is read later"));
        }
        let mut tx = self.store.begin_write().await?;
        let entry = store::entry(&mut tx, entry_id).await?.ok_or_else(|| AppError::NotFound(format!("time entry {entry_id}")))?;
        policy::log_time(actor, entry.member_id)?;
        if minutes.get() < 0 {
            return Err(AppError::invalid("hours", "hours cannot be negative"));
        }
        let others = coop_store::work::day_minutes(&mut tx, entry.member_id, &entry.date).await? - entry.minutes;
        hours::DayLimit::check(Minutes(others), minutes).map_err(|e| AppError::invalid("hours", e.to_string()))?;
        let id = store::correct_entry(&mut tx, &entry, minutes.get(), reason, &actor.journal_name(), &self.now_text()).await?;
        self.journal(
            &mut tx,
            actor,
            "hours.correct",
            &format!("member:{}", entry.member_id),
            json!({"entry": entry_id, "date": entry.date, "old_minutes": entry.minutes, "new_minutes": minutes.get(), "reason": reason, "correction": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(CorrectionView {
            id,
            entry_id,
            member_id: entry.member_id,
            date: entry.date,
            old_hours: Minutes(entry.minutes).to_hours_string(),
            new_hours: minutes.to_hours_string(),
            reason: reason.to_string(),
            actor: actor.journal_name(),
            at: self.now_text(),
            settled_in: None,
        })
    }

    /// The corrections trail, oldest first.
    pub async fn corrections(&self, actor: &Actor) -> Result<Vec<CorrectionView>> {
        policy::view_hours(actor)?;
        let mut c = self.store.read().await?;
        Ok(store::corrections(&mut c, false)
            .await?
            .into_iter()
            .map(|k| CorrectionView {
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
            })
            .collect())
    }

    async fn stored_run(&self, run: store::PayRunRow) -> Result<PayRunView> {
        let mut view: PayRunView = serde_json::from_str(&run.result).map_err(|e| corrupt(format!("pay run {}: {e}", run.month)))?;
        view.status = run.status.clone();
        view.approved_at = run.approved_at.clone();
        view.approved_by = run.approved_by.clone();
        if run.status == "approved" {
            let mut c = self.store.read().await?;
            view.sealed_hash = coop_store::journal::sealed_hash(&mut c, store::PAY_RUN_RECORD_KIND, &run.id.to_string()).await?;
        }
        Ok(view)
    }

    /// Computes a month under the system in force on its first day, with the adjustments for
    /// unsettled corrections to other, locked months. Returns the run and the corrections it
    /// settles when approved (including those to this month itself).
    async fn compute_run(&self, c: &mut coop_store::Conn, month: Month) -> Result<(PayRunView, Vec<i64>)> {
        let system_row = store::pay_system_on(c, &month.first_day().to_string())
            .await?
            .ok_or_else(|| AppError::Conflict(format!("no pay system is in force in {}: adopt one by a decision first", month.text())))?;
        let system = PaySystem::from_json(&system_row.system).map_err(corrupt)?;
        let pay = self.month_pay(c, &system, month).await?;
        let people: BTreeMap<i64, (String, String)> = coop_store::work::member_names(c).await?.into_iter().map(|(id, email, name)| (id, (email, name))).collect();

        // Corrections: those to this month are in `pay` already; those to other locked months
        // are paid as the difference between that month re-run now and what it paid so far.
        let unsettled = store::corrections(c, true).await?;
        let mut settled: Vec<i64> = Vec::new();
        let mut by_month: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for k in &unsettled {
            let m = store::month_of(&k.date).to_string();
            if m == month.text() {
                settled.push(k.id);
            } else if store::month_locked(c, &k.date).await? {
                by_month.entry(m).or_default().push(k.id);
            }
        }
        let mut adjustments: BTreeMap<i64, Vec<Adjustment>> = BTreeMap::new();
        for (m, ids) in &by_month {
            let corrected = Month::parse(m)?;
            let paid = self.paid_so_far(c, corrected).await?;
            let earlier = store::pay_run(c, m).await?.ok_or_else(|| corrupt(format!("locked month {m} without a run")))?;
            let earlier_system = store::pay_systems(c).await?.into_iter().find(|s| s.version == earlier.pay_system_version).ok_or_else(|| corrupt("pay system of a run"))?;
            let rerun = self.month_pay(c, &PaySystem::from_json(&earlier_system.system).map_err(corrupt)?, corrected).await?;
            // Everyone paid for the month before or after: a correction can also remove a
            // member's only hours.
            let now_paid: BTreeMap<i64, i64> = rerun.members.iter().map(|mp| (mp.member_id, mp.gross.cents())).collect();
            let ids_of_month: BTreeSet<i64> = paid.keys().chain(now_paid.keys()).copied().collect();
            for member_id in ids_of_month {
                let diff = now_paid.get(&member_id).copied().unwrap_or(0) - paid.get(&member_id).copied().unwrap_or(0);
                if diff != 0 {
                    adjustments.entry(member_id).or_default().push(Adjustment { month: m.clone(), amount_cents: diff, corrections: ids.clone() });
                }
            }
            settled.extend(ids);
        }

        let mut members = Vec::with_capacity(pay.members.len());
        let mut total_cents: i64 = 0;
        let mut in_run: BTreeSet<i64> = BTreeSet::new();
        for mp in &pay.members {
            in_run.insert(mp.member_id);
            let adj = adjustments.remove(&mp.member_id).unwrap_or_default();
            let total = mp.gross.cents() + adj.iter().map(|a| a.amount_cents).sum::<i64>();
            total_cents += total;
            let (email, name) = people.get(&mp.member_id).cloned().unwrap_or_default();
            members.push(PayRunMember {
                member_id: mp.member_id,
                email,
                name,
                gross: mp.gross.to_decimal(),
                paid_hours: mp.paid_minutes.to_hours_string(),
                lines: mp.lines.iter().map(|l| serde_json::to_value(l).unwrap_or(Value::Null)).collect(),
                adjustments: adj,
                total: Money(total).to_decimal(),
            });
        }
        // Someone owed an adjustment who is not paid this month (they left, say) still gets it.
        for (member_id, adj) in adjustments {
            let total: i64 = adj.iter().map(|a| a.amount_cents).sum();
            total_cents += total;
            let (email, name) = people.get(&member_id).cloned().unwrap_or_default();
            members.push(PayRunMember {
                member_id,
                email,
                name,
                gross: Money(0).to_decimal(),
                paid_hours: Minutes::ZERO.to_hours_string(),
                lines: Vec::new(),
                adjustments: adj,
                total: Money(total).to_decimal(),
            });
        }
        members.sort_by_key(|m| m.member_id);
        let view = PayRunView {
            month: month.text(),
            status: "draft".into(),
            pay_system_version: system_row.version,
            members,
            total: Money(total_cents).to_decimal(),
            total_cents,
            bonus_note: pay.bonus_note.clone(),
            ratio: serde_json::to_value(&pay.ratio).map_err(corrupt)?,
            approved_at: None,
            approved_by: None,
            sealed_hash: None,
        };
        Ok((view, settled))
    }

    /// What each member has been paid for `month` so far: the approved run's gross plus the
    /// adjustments for it in later approved runs.
    async fn paid_so_far(&self, c: &mut coop_store::Conn, month: Month) -> Result<BTreeMap<i64, i64>> {
        let mut paid: BTreeMap<i64, i64> = BTreeMap::new();
        for run in store::pay_runs(c).await? {
            if run.status != "approved" {
                continue;
            }
            let view: PayRunView = serde_json::from_str(&run.result).map_err(|e| corrupt(format!("pay run {}: {e}", run.month)))?;
            for m in &view.members {
                if run.month == month.text() {
                    *paid.entry(m.member_id).or_default() += Money::parse(&m.gross).map_err(corrupt)?.cents();
                }
                for a in m.adjustments.iter().filter(|a| a.month == month.text()) {
                    *paid.entry(m.member_id).or_default() += a.amount_cents;
                }
            }
        }
        Ok(paid)
    }

    /// Gathers every member's month and computes it under `system`.
    async fn month_pay(&self, c: &mut coop_store::Conn, system: &PaySystem, month: Month) -> Result<coop_core::pay::MonthPay> {
        let (first, last) = (month.first_day(), month.last_day());
        let worked = store::worked_between(c, &first.to_string(), &last.to_string()).await?;
        let rates: BTreeMap<String, Money> = store::category_rates_on(c, &first.to_string())
            .await?
            .into_iter()
            .filter_map(|r| r.rate_cents.map(|cents| (r.category.to_lowercase(), Money(cents))))
            .collect();
        let holidays = Holidays::none();
        let working_days = holidays.working_days_between(first, last);
        let mut members = Vec::new();
        for (member_id, _email, name) in coop_store::work::member_names(c).await? {
            let history = coop_store::members::history(c, member_id).await?;
            let in_coop = YearInCoop::from_history(&history, month.year, hours::COUNTS_MEMBERS_AND_CANDIDATES);
            let days_in_coop = in_coop.working_days_in(first, last, &holidays);
            let work: Vec<WorkedMinutes> = worked
                .iter()
                .filter(|w| w.member_id == member_id)
                .map(|w| WorkedMinutes { project: w.project.clone(), billable: w.billable, kind: w.category.clone(), minutes: Minutes(w.minutes) })
                .collect();
            let leave = {
                let to_end = self.leave_value_to(c, member_id, month.year, last).await?;
                let before = match first.yesterday() {
                    Ok(d) if d.year() == month.year => self.leave_value_to(c, member_id, month.year, d).await?,
                    _ => Minutes::ZERO,
                };
                to_end - before
            };
            if days_in_coop == 0 && work.is_empty() && leave == Minutes::ZERO {
                continue;
            }
            let declared_year = commitment_in(c, member_id, month.year).await?.map(|k| k.declared_minutes());
            members.push(MemberMonth { member_id, name, worked: work, leave, declared_year, days_in_coop, working_days });
        }
        pay_month(system, u8::try_from(month.month).unwrap_or(0), &rates, &members).map_err(|e| AppError::Conflict(e.to_string()))
    }
}

fn system_view(row: store::PaySystemRow) -> Result<PaySystemView> {
    Ok(PaySystemView {
        version: row.version,
        system: PaySystem::from_json(&row.system).map_err(corrupt)?,
        effective_from: row.effective_from,
        proposal_id: row.proposal_id,
        status: row.status,
    })
}

async fn commitment_in(c: &mut coop_store::Conn, member_id: i64, year: i16) -> Result<Option<Commitment>> {
    match coop_store::work::commitment(c, member_id, year.into()).await? {
        None => Ok(None),
        Some((declared, weeks)) => {
            let weeks = u8::try_from(weeks).map_err(|_| corrupt("leave weeks"))?;
            Commitment::new(year, Minutes(declared), weeks).map(Some).map_err(corrupt)
        }
    }
}

/// One CSV line, quoting fields that need it.
fn csv_line(fields: &[&str]) -> String {
    let mut line = fields
        .iter()
        .map(|f| if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.to_string() })
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}
