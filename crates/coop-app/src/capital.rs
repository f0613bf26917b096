//! Internal capital accounts: each member's ledger (buy-in by instalments, retained allocations,
//! losses, interest, redemptions) and the collective reserve; interest posted once a year at
//! the policy's rate (paid from the reserve); the revolving fund that redeems each year's
//! retained allocation after N years, refused when the reserve cannot carry it (the solvency
//! guard); and a departing member's balance converted to a repayment schedule with interest.

use crate::surplus::{fiscal_bounds, SurplusPolicy};
use crate::{policy, Actor, App, AppError, Result};
use coop_core::money::Money;
use coop_core::patronage::{interest_on_balances, redeemable, repayment_plan, solvency_ok, Percent};
use coop_store::capital as store;
use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;
use serde_json::json;

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::Store(coop_store::StoreError::Corrupt(what.to_string()))
}

/// One movement as `coop capital show --json` prints it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EntryView {
    pub date: String,
    pub kind: String,
    pub amount_cents: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub fiscal_year: Option<i64>,
}

/// A buy-in plan and how far it is paid.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BuyInView {
    pub total_cents: i64,
    pub instalment_cents: i64,
    pub starts: String,
    pub paid_cents: i64,
    pub remaining_cents: i64,
    /// Instalments still to pay (the last one may be smaller).
    pub instalments_left: i64,
}

/// Cash the co-op owes the member on a date.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PaymentView {
    /// The payment's id (marking it paid names it).
    pub id: i64,
    pub due: String,
    pub kind: String,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub payment_cents: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    /// The day it was paid; `None` while unpaid.
    pub paid_on: Option<String>,
}

fn payment_view(p: store::PaymentRow) -> PaymentView {
    PaymentView {
        id: p.id,
        payment_cents: p.principal_cents + p.interest_cents,
        due: p.due,
        kind: p.kind,
        principal_cents: p.principal_cents,
        interest_cents: p.interest_cents,
        reference: p.reference,
        paid_on: p.paid_on,
    }
}

/// A scheduled cash payment with the member it is owed to: an instalment of a year's
/// patronage cash (`allocation_cash`) or a departure repayment (`repayment`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CashPaymentView {
    pub member_id: i64,
    pub email: String,
    #[serde(flatten)]
    pub payment: PaymentView,
}

/// Every capital account at a glance: the member accounts the caller may see, the collective
/// reserve, and the equity invariant.
#[derive(Clone, Debug, Serialize)]
pub struct CapitalOverview {
    /// Every member account for admins; a member's own (if it has any movement) otherwise.
    pub accounts: Vec<AccountBalance>,
    pub reserve: ReserveView,
    pub equity: crate::surplus::EquityView,
}

/// A member account's balance.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AccountBalance {
    pub member_id: i64,
    pub email: String,
    pub balance_cents: i64,
}

/// A member's capital account: `{"balance_cents","entries":[{"date","kind","amount_cents","ref"}]}` and more.
#[derive(Clone, Debug, Serialize)]
pub struct CapitalView {
    pub member_id: i64,
    pub email: String,
    pub balance_cents: i64,
    pub entries: Vec<EntryView>,
    pub buy_in: Option<BuyInView>,
    pub payments: Vec<PaymentView>,
}

/// The collective reserve's account.
#[derive(Clone, Debug, Serialize)]
pub struct ReserveView {
    pub balance_cents: i64,
    pub entries: Vec<EntryView>,
}

/// What a posting did to each member.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PostedView {
    #[serde(rename = "ref")]
    pub reference: String,
    pub date: String,
    pub total_cents: i64,
    pub members: Vec<PostedMember>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PostedMember {
    pub member_id: i64,
    pub email: String,
    pub amount_cents: i64,
}

fn entry_view(e: store::EntryRow) -> EntryView {
    EntryView { date: e.date, kind: e.kind, amount_cents: e.amount_cents, reference: e.reference, fiscal_year: e.fiscal_year }
}

impl App {
    /// A member's capital account with its buy-in plan and the cash owed to them.
    pub async fn capital(&self, actor: &Actor, member_id: i64) -> Result<CapitalView> {
        policy::view_capital(actor, member_id)?;
        let mut c = self.store.read().await?;
        let email = coop_store::work::member_emails(&mut c)
            .await?
            .into_iter()
            .find(|(id, _)| *id == member_id)
            .map(|(_, e)| e)
            .ok_or_else(|| AppError::NotFound(format!("member {member_id}")))?;
        let entries = store::entries(&mut c, Some(member_id)).await?;
        let balance_cents = entries.iter().map(|e| e.amount_cents).sum();
        let paid: i64 = entries.iter().filter(|e| e.kind == "buy_in").map(|e| e.amount_cents).sum();
        let buy_in = store::buy_in_plan(&mut c, member_id).await?.map(|(total, instalment, starts)| {
            let remaining = (total - paid).max(0);
            BuyInView {
                total_cents: total,
                instalment_cents: instalment,
                starts,
                paid_cents: paid,
                remaining_cents: remaining,
                instalments_left: (remaining + instalment - 1) / instalment,
            }
        });
        let payments = store::payments_of(&mut c, member_id).await?.into_iter().map(payment_view).collect();
        Ok(CapitalView { member_id, email, balance_cents, entries: entries.into_iter().map(entry_view).collect(), buy_in, payments })
    }

    /// The collective reserve's account.
    pub async fn reserve(&self, actor: &Actor) -> Result<ReserveView> {
        policy::view_surplus(actor)?;
        let mut c = self.store.read().await?;
        let entries = store::entries(&mut c, None).await?;
        Ok(ReserveView { balance_cents: entries.iter().map(|e| e.amount_cents).sum(), entries: entries.into_iter().map(entry_view).collect() })
    }

    /// Every capital account the caller may see (all for admins, their own for a member), the
    /// collective reserve and the equity check.
    pub async fn capital_overview(&self, actor: &Actor) -> Result<CapitalOverview> {
        let reserve = self.reserve(actor).await?;
        let equity = self.equity(actor).await?;
        let mut c = self.store.read().await?;
        let emails: std::collections::BTreeMap<i64, String> = coop_store::work::member_emails(&mut c).await?.into_iter().collect();
        let accounts = store::member_balances(&mut c)
            .await?
            .into_iter()
            .filter(|(id, _)| policy::view_capital(actor, *id).is_ok())
            .map(|(member_id, balance_cents)| AccountBalance { member_id, email: emails.get(&member_id).cloned().unwrap_or_default(), balance_cents })
            .collect();
        Ok(CapitalOverview { accounts, reserve, equity })
    }

    /// The scheduled cash payments, by date: of fiscal year `year`'s allocation (its cash
    /// instalments) or, without a year, every one (departure repayments too). An admin sees
    /// everyone's; a member only their own (as with capital accounts).
    pub async fn cash_payments(&self, actor: &Actor, year: Option<i64>) -> Result<Vec<CashPaymentView>> {
        policy::view_surplus(actor)?;
        if let Some(y) = year {
            fiscal_bounds(&self.settings().await?, y)?;
        }
        let mut c = self.store.read().await?;
        let rows = match year {
            Some(y) => store::payments_by_ref(&mut c, &format!("allocation:{y}")).await?,
            None => store::all_payments(&mut c).await?,
        };
        let emails: std::collections::BTreeMap<i64, String> = coop_store::work::member_emails(&mut c).await?.into_iter().collect();
        Ok(rows
            .into_iter()
            .filter(|p| policy::view_capital(actor, p.member_id).is_ok())
            .map(|p| CashPaymentView { member_id: p.member_id, email: emails.get(&p.member_id).cloned().unwrap_or_default(), payment: payment_view(p) })
            .collect())
    }

    /// Records that a scheduled cash payment was paid on `on` (admins). The amount stays as
    /// scheduled; a day in the future is refused (`on`), and so is a payment already paid (a
    /// conflict). Journaled; the ledger export then books it on the day it was paid.
    pub async fn mark_cash_paid(&self, actor: &Actor, id: i64, on: Date) -> Result<CashPaymentView> {
        policy::manage_surplus(actor)?;
        let today = self.today().await?;
        if on > today {
            return Err(AppError::invalid("on", format!("{on} is in the future: record a payment once it is made (today is {today})")));
        }
        let mut tx = self.store.begin_write().await?;
        let p = store::payment(&mut tx, id).await?.ok_or_else(|| AppError::NotFound(format!("cash payment {id}")))?;
        if let Some(paid) = &p.paid_on {
            return Err(AppError::Conflict(format!("cash payment {id} was already paid on {paid}")));
        }
        let date = on.to_string();
        if !store::mark_paid(&mut tx, id, &date, &self.now_text()).await? {
            return Err(AppError::Conflict(format!("cash payment {id} was already paid")));
        }
        self.journal(
            &mut tx,
            actor,
            "cash_payment.paid",
            &format!("cash_payment:{id}"),
            json!({"member_id": p.member_id, "kind": p.kind, "due": p.due, "payment_cents": p.principal_cents + p.interest_cents, "ref": p.reference, "paid_on": date}),
        )
        .await?;
        let email = coop_store::work::member_emails(&mut tx).await?.into_iter().find(|(m, _)| *m == p.member_id).map(|(_, e)| e).unwrap_or_default();
        tx.commit().await?;
        let member_id = p.member_id;
        Ok(CashPaymentView { member_id, email, payment: payment_view(store::PaymentRow { paid_on: Some(date), ..p }) })
    }

    /// Sets a member's buy-in: `total` paid in instalments of `instalment` (e.g. 3,000.00 at
    /// 50.00 a pay period) from `starts`. A plan cannot be set below what is already paid.
    pub async fn set_buy_in_plan(&self, actor: &Actor, member_id: i64, total: Money, instalment: Money, starts: Date) -> Result<CapitalView> {
        policy::manage_surplus(actor)?;
        if total.cents() <= 0 {
            return Err(AppError::invalid("total", "a buy-in is a positive amount"));
        }
        if instalment.cents() <= 0 || instalment.cents() > total.cents() {
            return Err(AppError::invalid("instalment", "an instalment is positive and at most the total"));
        }
        let mut tx = self.store.begin_write().await?;
        if !coop_store::work::member_emails(&mut tx).await?.iter().any(|(id, _)| *id == member_id) {
            return Err(AppError::NotFound(format!("member {member_id}")));
        }
        let paid: i64 = store::entries(&mut tx, Some(member_id)).await?.iter().filter(|e| e.kind == "buy_in").map(|e| e.amount_cents).sum();
        if total.cents() < paid {
            return Err(AppError::invalid("total", format!("the member has already paid {} of their buy-in", Money(paid).to_decimal())));
        }
        store::set_buy_in_plan(&mut tx, member_id, total.cents(), instalment.cents(), &starts.to_string(), &self.now_text()).await?;
        self.journal(
            &mut tx,
            actor,
            "capital.buy_in_plan",
            &format!("member:{member_id}"),
            json!({"total_cents": total.cents(), "instalment_cents": instalment.cents(), "starts": starts.to_string()}),
        )
        .await?;
        tx.commit().await?;
        self.capital(actor, member_id).await
    }

    /// Records a buy-in instalment paid on `on` (from a paycheck, say). Refused beyond what the
    /// plan leaves to pay, or without a plan.
    pub async fn pay_buy_in(&self, actor: &Actor, member_id: i64, amount: Money, on: Date) -> Result<CapitalView> {
        policy::manage_surplus(actor)?;
        if amount.cents() <= 0 {
            return Err(AppError::invalid("amount", "a buy-in payment is a positive amount"));
        }
        let mut tx = self.store.begin_write().await?;
        let (total, _, _) =
            store::buy_in_plan(&mut tx, member_id).await?.ok_or_else(|| AppError::Conflict("the member has no buy-in plan: set one first".into()))?;
        let paid: i64 = store::entries(&mut tx, Some(member_id)).await?.iter().filter(|e| e.kind == "buy_in").map(|e| e.amount_cents).sum();
        if paid + amount.cents() > total {
            return Err(AppError::invalid("amount", format!("only {} of the buy-in is left to pay", Money(total - paid).to_decimal())));
        }
        let reference = format!("buy_in:{member_id}:{}", on);
        let date = on.to_string();
        let e =
            store::NewEntry { member_id: Some(member_id), date: &date, kind: "buy_in", amount_cents: amount.cents(), fiscal_year: None, reference: &reference };
        store::insert_entry(&mut tx, &e, &self.now_text()).await?;
        self.journal(&mut tx, actor, "capital.buy_in", &format!("member:{member_id}"), json!({"amount_cents": amount.cents(), "date": date})).await?;
        tx.commit().await?;
        self.capital(actor, member_id).await
    }

    /// The policy in force for fiscal year `year`, if one was adopted.
    async fn policy_for(&self, c: &mut coop_store::Conn, year: i64) -> Result<Option<SurplusPolicy>> {
        let (starts, _) = fiscal_bounds(&self.settings().await?, year)?;
        match coop_store::surplus::policy_on(c, &starts.to_string()).await? {
            Some(row) => Ok(Some(serde_json::from_str(&row.policy).map_err(corrupt)?)),
            None => Ok(None),
        }
    }

    /// Credits a year's interest to every capital account at `rate` (the adopted policy's rate
    /// if `None`), on each day's balance over the fiscal year (rounded once per member, half to
    /// even), paid from the collective reserve. Once per year, after the year is over.
    pub async fn post_interest(&self, actor: &Actor, year: i64, rate: Option<Percent>) -> Result<PostedView> {
        policy::manage_surplus(actor)?;
        let (starts, ends) = fiscal_bounds(&self.settings().await?, year)?;
        if self.today().await? <= ends {
            return Err(AppError::Conflict(format!("fiscal year {year} runs until {ends}: post its interest after the year is over")));
        }
        let mut tx = self.store.begin_write().await?;
        let rate = match rate {
            Some(r) => r,
            None => self
                .policy_for(&mut tx, year)
                .await?
                .map(|p| p.interest)
                .ok_or_else(|| AppError::invalid("rate", format!("no allocation policy governs {year}: give the interest rate")))?,
        };
        let reference = format!("interest:{year}");
        if store::reference_used(&mut tx, &reference).await? {
            return Err(AppError::Conflict(format!("the interest of {year} is already posted")));
        }
        let year_days = u32::try_from(ends.since(starts).map_err(corrupt)?.get_days() + 1).unwrap_or(365);
        let emails: std::collections::BTreeMap<i64, String> = coop_store::work::member_emails(&mut tx).await?.into_iter().collect();
        let before = starts.yesterday().map_err(corrupt)?.to_string();
        let mut by_member: std::collections::BTreeMap<i64, (i64, Vec<(Date, i64)>)> = std::collections::BTreeMap::new();
        for e in store::all_entries(&mut tx).await? {
            let Some(id) = e.member_id else { continue };
            let slot = by_member.entry(id).or_default();
            if e.date.as_str() <= before.as_str() {
                slot.0 += e.amount_cents;
            } else if e.date.as_str() <= ends.to_string().as_str() {
                slot.1.push((e.date.parse().map_err(corrupt)?, e.amount_cents));
            }
        }
        let end_text = ends.to_string();
        let now = self.now_text();
        let mut members = Vec::new();
        let mut total = 0i64;
        for (id, (opening, moves)) in by_member {
            let cents = interest_on_balances(opening, &moves, starts, ends, rate, year_days);
            if cents <= 0 {
                continue;
            }
            let e = store::NewEntry { member_id: Some(id), date: &end_text, kind: "interest", amount_cents: cents, fiscal_year: None, reference: &reference };
            store::insert_entry(&mut tx, &e, &now).await?;
            total += cents;
            members.push(PostedMember { member_id: id, email: emails.get(&id).cloned().unwrap_or_default(), amount_cents: cents });
        }
        if total != 0 {
            let e = store::NewEntry { member_id: None, date: &end_text, kind: "interest", amount_cents: -total, fiscal_year: None, reference: &reference };
            store::insert_entry(&mut tx, &e, &now).await?;
        }
        self.journal(&mut tx, actor, "capital.interest", &reference, json!({"rate": rate.to_string(), "total_cents": total, "members": members.len()})).await?;
        tx.commit().await?;
        Ok(PostedView { reference, date: end_text, total_cents: total, members })
    }

    /// The revolving fund: on `on`, redeems every member's retained allocations of fiscal years
    /// at least `after_years` before `year` (the policy's `revolve_years` if `None`). Refused
    /// as a whole when the collective reserve would fall below `min_reserve` (the policy's if
    /// `None`) by carrying it: the solvency guard.
    pub async fn redeem(&self, actor: &Actor, year: i64, after_years: Option<u32>, min_reserve: Option<Money>, on: Date) -> Result<PostedView> {
        policy::manage_surplus(actor)?;
        let mut tx = self.store.begin_write().await?;
        let policy = self.policy_for(&mut tx, year).await?;
        let after = match after_years.or(policy.as_ref().and_then(|p| p.revolve_years)) {
            Some(a) => a,
            None => return Err(AppError::invalid("after", "no adopted policy sets a revolving period: give the number of years")),
        };
        let min_reserve = min_reserve.map(Money::cents).or(policy.as_ref().map(|p| p.min_reserve_cents)).unwrap_or(0);
        let reference = format!("redemption:{year}");
        if store::reference_used(&mut tx, &reference).await? {
            return Err(AppError::Conflict(format!("the redemptions of {year} are already made")));
        }
        let emails: std::collections::BTreeMap<i64, String> = coop_store::work::member_emails(&mut tx).await?.into_iter().collect();
        let mut plan: Vec<(i64, Vec<(i64, i64)>)> = Vec::new();
        let mut total = 0i64;
        for (id, balance) in store::member_balances(&mut tx).await? {
            let held = store::held_by_year(&mut tx, id).await?;
            let as_years: Vec<(i32, i64)> = held.iter().map(|&(y, c)| (y as i32, c)).collect();
            // Never more than the account holds (a departed member's balance is already a debt).
            let amount = redeemable(&as_years, year as i32, after).min(balance);
            if amount <= 0 {
                continue;
            }
            // Redeem the old years that are still held, oldest first, up to the amount.
            let mut left = amount;
            let mut parts = Vec::new();
            for (y, held_cents) in held.into_iter().filter(|(y, _)| y + i64::from(after) <= year) {
                let take = held_cents.min(left).max(0);
                if take > 0 {
                    parts.push((y, take));
                    left -= take;
                }
            }
            total += amount - left;
            plan.push((id, parts));
        }
        let reserve = store::balance(&mut tx, None, None).await?;
        if !solvency_ok(reserve, total, min_reserve) {
            return Err(AppError::Conflict(format!(
                "redeeming {} would leave the collective reserve at {}, below the {} it must keep: the co-op cannot carry this redemption now",
                Money(total).to_decimal(),
                Money(reserve - total).to_decimal(),
                Money(min_reserve).to_decimal()
            )));
        }
        let date = on.to_string();
        let now = self.now_text();
        let mut members = Vec::new();
        for (id, parts) in plan {
            let mut sum = 0;
            for (y, take) in parts {
                let e =
                    store::NewEntry { member_id: Some(id), date: &date, kind: "redemption", amount_cents: -take, fiscal_year: Some(y), reference: &reference };
                store::insert_entry(&mut tx, &e, &now).await?;
                sum += take;
            }
            members.push(PostedMember { member_id: id, email: emails.get(&id).cloned().unwrap_or_default(), amount_cents: -sum });
        }
        self.journal(&mut tx, actor, "capital.redeem", &reference, json!({"after_years": after, "total_cents": total, "date": date})).await?;
        tx.commit().await?;
        Ok(PostedView { reference, date, total_cents: -total, members })
    }

    /// At departure: the member's balance on `on` becomes a debt of the co-op, repaid over
    /// `years` in `per_year` instalments a year with interest at `rate` on the outstanding
    /// balance (the adopted policy's terms where not given). The member must be departed on `on`.
    pub async fn depart_capital(
        &self,
        actor: &Actor,
        member_id: i64,
        on: Date,
        years: Option<u32>,
        per_year: Option<u32>,
        rate: Option<Percent>,
    ) -> Result<CapitalView> {
        policy::manage_surplus(actor)?;
        let mut tx = self.store.begin_write().await?;
        let history = coop_store::members::history(&mut tx, member_id).await?;
        if history.state_on(on) != Some(coop_core::MemberState::Departed) {
            return Err(AppError::invalid("on", format!("the member is not departed on {on}: record their departure first")));
        }
        let reference = format!("departure:{member_id}");
        if store::reference_used(&mut tx, &reference).await? {
            return Err(AppError::Conflict("the member's capital was already converted at departure".into()));
        }
        let settings = self.settings().await?;
        let fy = if on >= fiscal_bounds(&settings, i64::from(on.year()))?.0 { i64::from(on.year()) } else { i64::from(on.year()) - 1 };
        let policy = self.policy_for(&mut tx, fy).await?;
        let years = years.or(policy.as_ref().map(|p| p.repayment_years)).unwrap_or(3);
        let per_year = per_year.or(policy.as_ref().map(|p| p.repayments_per_year)).unwrap_or(12);
        let rate = rate.or(policy.as_ref().map(|p| p.interest)).unwrap_or(Percent::ZERO);
        if !(1..=30).contains(&years) || ![1, 2, 3, 4, 6, 12].contains(&per_year) {
            return Err(AppError::invalid("years", "repay over 1 to 30 years, in 1, 2, 3, 4, 6 or 12 instalments a year"));
        }
        let balance = store::balance(&mut tx, Some(member_id), Some(&on.to_string())).await?;
        if balance <= 0 {
            return Err(AppError::Conflict(format!("the member's balance on {on} is {}: there is nothing to repay", Money(balance).to_decimal())));
        }
        let date = on.to_string();
        let now = self.now_text();
        let e =
            store::NewEntry { member_id: Some(member_id), date: &date, kind: "departure", amount_cents: -balance, fiscal_year: None, reference: &reference };
        store::insert_entry(&mut tx, &e, &now).await?;
        let step = 12 / per_year as i32;
        for (i, row) in repayment_plan(balance, years, per_year, rate).into_iter().enumerate() {
            let due = on.checked_add(((i as i32 + 1) * step).months()).map_err(corrupt)?;
            store::insert_payment(&mut tx, member_id, &due.to_string(), "repayment", row.principal_cents, row.interest_cents, &reference, &now).await?;
        }
        self.journal(
            &mut tx,
            actor,
            "capital.departure",
            &format!("member:{member_id}"),
            json!({"balance_cents": balance, "years": years, "per_year": per_year, "rate": rate.to_string(), "date": date}),
        )
        .await?;
        tx.commit().await?;
        self.capital(actor, member_id).await
    }
}
