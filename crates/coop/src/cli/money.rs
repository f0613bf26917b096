//! Surplus and capital on the command line: `patronage run|show|notices|policy`,
//! `capital show|reserve|equity|buy-in|pay-in|interest|redeem|depart|payments|pay-instalment`,
//! `fiscal-year
//! open|surplus|close|list` and `export ledger`.
//!
//! Same rules as the rest of the CLI: every command acts as the operator, calls one use case
//! and prints; `--json` prints one JSON document; a refusal is one `error: ...` line and exit 1.

use super::{date_arg, member_id, print_json, print_table, OP};
use clap::{Args, Subcommand};
use coop_app::surplus::{parse_basis, AllocationView, LedgerFormat, RunInput, SurplusPolicy};
use coop_app::{App, AppError};
use coop_core::money::Money;
use coop_core::patronage::Percent;
use std::path::PathBuf;

#[derive(Subcommand)]
pub(super) enum PatronageCommand {
    /// A year's allocation: a preview (what-if, changes nothing), or with --commit posted and sealed
    Run(RunArgs),
    /// A committed year's allocation as it was committed
    Show {
        #[arg(long)]
        year: i64,
        #[arg(long)]
        json: bool,
    },
    /// Write each member's written notice of allocation (HTML and PDF) for a committed year
    Notices {
        #[arg(long)]
        year: i64,
        /// The directory to write the notices into (created if needed)
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The allocation policy: proposed to the co-op, recorded against a decision, listed
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Args)]
pub(super) struct RunArgs {
    #[arg(long)]
    year: i64,
    /// The net surplus, e.g. 100000.00 (negative: a loss); the year's entered surplus if not given
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    surplus: Option<String>,
    /// Percent kept in the collective reserve (of a loss: the percent the reserve absorbs)
    #[arg(long, value_name = "PCT")]
    reserve: Option<String>,
    /// Percent of each allocation paid in cash (20 or more gives qualified notices)
    #[arg(long, value_name = "PCT")]
    cash: Option<String>,
    /// hours, wages, weighted, or mix:H/W (e.g. mix:50/50)
    #[arg(long)]
    basis: Option<String>,
    /// Post to the capital accounts, seal, and close the year (once)
    #[arg(long)]
    commit: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub(super) enum PolicyCommand {
    /// Open a proposal to adopt the policy in FILE (JSON) from a fiscal year on; it applies if it passes
    Propose {
        file: PathBuf,
        #[arg(long)]
        year: i64,
        #[arg(long)]
        class: Option<String>,
        /// When voting closes, RFC 3339 (a week from now if not given)
        #[arg(long, value_name = "INSTANT")]
        closes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record the policy in FILE from a fiscal year on, adopted by a proposal that has passed
    Record {
        file: PathBuf,
        #[arg(long)]
        year: i64,
        #[arg(long, value_name = "PROPOSAL_ID")]
        adopted_by: i64,
        #[arg(long)]
        json: bool,
    },
    /// Every version of the allocation policy, newest first
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum CapitalCommand {
    /// A member's capital account
    Show {
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// The collective reserve's account
    Reserve {
        #[arg(long)]
        json: bool,
    },
    /// Check that member accounts plus the reserve equal the co-op's equity (exit 1 if not)
    Equity {
        #[arg(long)]
        json: bool,
    },
    /// Set a member's buy-in: the total paid in instalments (e.g. --total 3000 --instalment 50)
    BuyIn {
        email: String,
        #[arg(long, value_name = "AMOUNT")]
        total: String,
        #[arg(long, value_name = "AMOUNT")]
        instalment: String,
        /// The first instalment's date (default: today)
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record a buy-in instalment paid
    PayIn {
        email: String,
        #[arg(long, value_name = "AMOUNT")]
        amount: String,
        #[arg(long, value_name = "DATE")]
        on: String,
        #[arg(long)]
        json: bool,
    },
    /// Credit a fiscal year's interest to every account, paid from the reserve (once a year)
    Interest {
        #[arg(long)]
        year: i64,
        /// Yearly percent (the adopted policy's if not given)
        #[arg(long, value_name = "PCT")]
        rate: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The revolving fund: redeem retained allocations at least N years old
    Redeem {
        #[arg(long)]
        year: i64,
        /// Years after which an allocation is redeemed (the policy's if not given)
        #[arg(long, value_name = "N")]
        after: Option<u32>,
        /// The least the reserve must keep (the policy's if not given)
        #[arg(long, value_name = "AMOUNT")]
        min_reserve: Option<String>,
        #[arg(long, value_name = "DATE")]
        on: String,
        #[arg(long)]
        json: bool,
    },
    /// At departure: turn the member's balance into a repayment schedule with interest
    Depart {
        email: String,
        #[arg(long, value_name = "DATE")]
        on: String,
        #[arg(long)]
        years: Option<u32>,
        #[arg(long)]
        per_year: Option<u32>,
        #[arg(long, value_name = "PCT")]
        rate: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The scheduled cash payments (a year's instalments with --year), paid or not
    Payments {
        /// The fiscal year whose allocation's cash instalments to list (default: every payment)
        #[arg(long)]
        year: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Record a scheduled cash payment (an instalment or a repayment) as paid on a day
    PayInstalment {
        /// The payment's id (`coop capital payments` lists them)
        id: i64,
        /// The day it was paid (not in the future)
        #[arg(long, value_name = "DATE")]
        on: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum FiscalYearCommand {
    /// Open a fiscal year (dates from the co-op's fiscal-year start)
    Open {
        year: i64,
        #[arg(long)]
        json: bool,
    },
    /// Enter the year's net surplus (negative: a loss), typed or imported from the income statement
    Surplus {
        /// The fiscal year (or --year)
        #[arg(value_name = "YEAR", required_unless_present = "year_flag", conflicts_with = "year_flag")]
        year: Option<i64>,
        #[arg(long = "year", value_name = "YYYY")]
        year_flag: Option<i64>,
        /// The net surplus, e.g. 100000.00 (negative: a loss)
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true, required_unless_present = "from_csv", conflicts_with = "from_csv")]
        amount: Option<String>,
        /// The accountant's income statement as CSV (`account,amount[,type]`, or hledger's
        /// `incomestatement -O csv`; `-`: standard input): the net is income minus expenses, and a
        /// file with a bad line changes nothing
        #[arg(long, value_name = "FILE")]
        from_csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Close a year after its last day
    Close {
        year: i64,
        #[arg(long)]
        json: bool,
    },
    /// Every fiscal year
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum ExportCommand {
    /// A fiscal year's allocation, cash payments, retained credits, buy-ins, interest and redemptions
    Ledger {
        #[arg(long)]
        year: i64,
        /// hledger, beancount or csv
        #[arg(long)]
        format: String,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn percent(field: &str, text: &str) -> Result<Percent, AppError> {
    Percent::parse(text).map_err(|e| AppError::invalid(field, e.to_string()))
}

fn money(field: &str, text: &str) -> Result<Money, AppError> {
    Money::parse(text).map_err(|m| AppError::invalid(field, m))
}

fn read_policy(file: &PathBuf) -> anyhow::Result<SurplusPolicy> {
    let text = std::fs::read_to_string(file).map_err(|e| AppError::invalid("file", format!("cannot read {}: {e}", file.display())))?;
    Ok(SurplusPolicy::from_json(&text)?)
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| AppError::invalid("out", format!("cannot write {}: {e}", path.display())))
}

fn print_allocation(v: &AllocationView) {
    let a = &v.allocation;
    let state = if v.committed { "committed" } else { "preview" };
    println!(
        "fiscal year {} ({} to {}), {state}: surplus {}, reserve {}, community {}, pool {}, {} notices",
        v.year,
        v.starts,
        v.ends,
        Money(a.surplus_cents).to_decimal(),
        Money(a.reserve_cents).to_decimal(),
        Money(a.community_cents).to_decimal(),
        Money(a.pool_cents).to_decimal(),
        if a.notice == coop_core::patronage::Notice::Qualified { "qualified" } else { "non-qualified" }
    );
    let rows: Vec<Vec<String>> = a
        .members
        .iter()
        .map(|m| {
            vec![
                m.email.clone(),
                m.patronage.clone(),
                Money(m.allocation_cents).to_decimal(),
                Money(m.cash_cents).to_decimal(),
                Money(m.retained_cents).to_decimal(),
            ]
        })
        .collect();
    print_table(&["EMAIL", "PATRONAGE", "ALLOCATION", "CASH", "RETAINED"], &rows);
    for c in &v.cash_by_month {
        println!("cash needed in {}: {}", c.month, Money(c.cash_cents).to_decimal());
    }
    for w in &a.warnings {
        println!("warning: {w}");
    }
    if let Some(h) = &v.sealed_hash {
        println!("sealed {h}");
    }
}

pub(super) async fn patronage(app: &App, cmd: PatronageCommand) -> anyhow::Result<()> {
    match cmd {
        PatronageCommand::Run(a) => {
            let input = RunInput {
                year: a.year,
                surplus: a.surplus.as_deref().map(|s| money("surplus", s)).transpose()?,
                reserve: a.reserve.as_deref().map(|s| percent("reserve", s)).transpose()?,
                cash: a.cash.as_deref().map(|s| percent("cash", s)).transpose()?,
                basis: a.basis.as_deref().map(parse_basis).transpose()?,
                commit: a.commit,
            };
            let view = app.patronage_run(OP, input).await?;
            if a.json {
                print_json(&view)?;
            } else {
                print_allocation(&view);
            }
        }
        PatronageCommand::Show { year, json } => {
            let view = app.allocation(OP, year).await?;
            if json {
                print_json(&view)?;
            } else {
                print_allocation(&view);
            }
        }
        PatronageCommand::Notices { year, dir, json } => {
            let notices = app.allocation_notices(OP, year).await?;
            std::fs::create_dir_all(&dir).map_err(|e| AppError::invalid("dir", format!("cannot create {}: {e}", dir.display())))?;
            let mut written = Vec::new();
            for n in &notices {
                let stem = format!("notice-{year}-{}", n.member_id);
                write_file(&dir.join(format!("{stem}.html")), n.html.as_bytes())?;
                write_file(&dir.join(format!("{stem}.pdf")), &n.pdf)?;
                written.push(serde_json::json!({"email": n.email, "box1_cents": n.box1_cents, "html": dir.join(format!("{stem}.html")), "pdf": dir.join(format!("{stem}.pdf"))}));
            }
            if json {
                print_json(&written)?;
            } else {
                println!("{} notices of allocation for {year} written to {}", notices.len(), dir.display());
            }
        }
        PatronageCommand::Policy(PolicyCommand::Propose { file, year, class, closes, json }) => {
            let policy = read_policy(&file)?;
            let closes = closes.as_deref().map(|t| super::decisions::instant_arg("closes", t)).transpose()?;
            let (proposal, view) = app.propose_allocation_policy(OP, policy, year, class, closes).await?;
            if json {
                print_json(&serde_json::json!({"proposal": proposal, "version": view.version, "status": view.status, "effective_from": view.effective_from}))?;
            } else {
                println!("proposal {proposal} opened: allocation policy v{} from {} applies if it passes", view.version, view.effective_from);
            }
        }
        PatronageCommand::Policy(PolicyCommand::Record { file, year, adopted_by, json }) => {
            let view = app.record_allocation_policy(OP, read_policy(&file)?, year, adopted_by).await?;
            if json {
                print_json(&view)?;
            } else {
                println!("allocation policy v{} in force from {}, adopted by proposal {}", view.version, view.effective_from, view.proposal_id);
            }
        }
        PatronageCommand::Policy(PolicyCommand::List { json }) => {
            let list = app.allocation_policies(OP).await?;
            if json {
                print_json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|p| vec![p.version.to_string(), p.effective_from.clone(), p.status.clone(), p.proposal_id.to_string(), p.policy.to_json()])
                    .collect();
                print_table(&["VERSION", "FROM", "STATUS", "PROPOSAL", "POLICY"], &rows);
            }
        }
    }
    Ok(())
}

pub(super) async fn capital(app: &App, cmd: CapitalCommand) -> anyhow::Result<std::process::ExitCode> {
    match cmd {
        CapitalCommand::Show { email, json } => {
            let v = app.capital(OP, member_id(app, &email).await?).await?;
            print_capital(&v, json)?;
        }
        CapitalCommand::Reserve { json } => {
            let v = app.reserve(OP).await?;
            if json {
                print_json(&v)?;
            } else {
                println!("collective reserve: {}", Money(v.balance_cents).to_decimal());
                let rows: Vec<Vec<String>> =
                    v.entries.iter().map(|e| vec![e.date.clone(), e.kind.clone(), Money(e.amount_cents).to_decimal(), e.reference.clone()]).collect();
                print_table(&["DATE", "KIND", "AMOUNT", "REF"], &rows);
            }
        }
        CapitalCommand::Equity { json } => {
            let v = app.equity(OP).await?;
            if json {
                print_json(&v)?;
            } else {
                println!(
                    "member accounts {} + reserve {} = {}; equity {}: {}",
                    Money(v.members_cents).to_decimal(),
                    Money(v.reserve_cents).to_decimal(),
                    Money(v.members_cents + v.reserve_cents).to_decimal(),
                    Money(v.equity_cents).to_decimal(),
                    if v.balanced { "balanced" } else { "NOT BALANCED" }
                );
            }
            if !v.balanced {
                eprintln!("error: member accounts plus the reserve do not equal the co-op's equity");
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        CapitalCommand::BuyIn { email, total, instalment, from, json } => {
            let id = member_id(app, &email).await?;
            let from = match from {
                Some(f) => date_arg("from", &f)?,
                None => app.today().await?,
            };
            let v = app.set_buy_in_plan(OP, id, money("total", &total)?, money("instalment", &instalment)?, from).await?;
            print_capital(&v, json)?;
        }
        CapitalCommand::PayIn { email, amount, on, json } => {
            let id = member_id(app, &email).await?;
            let v = app.pay_buy_in(OP, id, money("amount", &amount)?, date_arg("on", &on)?).await?;
            print_capital(&v, json)?;
        }
        CapitalCommand::Interest { year, rate, json } => {
            let rate = rate.as_deref().map(|r| percent("rate", r)).transpose()?;
            let v = app.post_interest(OP, year, rate).await?;
            print_posted(&v, json)?;
        }
        CapitalCommand::Redeem { year, after, min_reserve, on, json } => {
            let min = min_reserve.as_deref().map(|m| money("min_reserve", m)).transpose()?;
            let v = app.redeem(OP, year, after, min, date_arg("on", &on)?).await?;
            print_posted(&v, json)?;
        }
        CapitalCommand::Depart { email, on, years, per_year, rate, json } => {
            let id = member_id(app, &email).await?;
            let rate = rate.as_deref().map(|r| percent("rate", r)).transpose()?;
            let v = app.depart_capital(OP, id, date_arg("on", &on)?, years, per_year, rate).await?;
            print_capital(&v, json)?;
        }
        CapitalCommand::Payments { year, json } => {
            let list = app.cash_payments(OP, year).await?;
            if json {
                print_json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list.iter().map(payment_row).collect();
                print_table(&["ID", "MEMBER", "DUE", "KIND", "PAYMENT", "PAID"], &rows);
            }
        }
        CapitalCommand::PayInstalment { id, on, json } => {
            let v = app.mark_cash_paid(OP, id, date_arg("on", &on)?).await?;
            if json {
                print_json(&v)?;
            } else {
                println!(
                    "cash payment {} of {} to {} paid on {}",
                    v.payment.id,
                    Money(v.payment.payment_cents).to_decimal(),
                    v.email,
                    v.payment.paid_on.as_deref().unwrap_or("")
                );
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn payment_row(p: &coop_app::capital::CashPaymentView) -> Vec<String> {
    let q = &p.payment;
    vec![q.id.to_string(), p.email.clone(), q.due.clone(), q.kind.clone(), Money(q.payment_cents).to_decimal(), q.paid_on.clone().unwrap_or_else(|| "-".into())]
}

fn print_capital(v: &coop_app::capital::CapitalView, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(v);
    }
    println!("capital account of {}: {}", v.email, Money(v.balance_cents).to_decimal());
    let rows: Vec<Vec<String>> =
        v.entries.iter().map(|e| vec![e.date.clone(), e.kind.clone(), Money(e.amount_cents).to_decimal(), e.reference.clone()]).collect();
    print_table(&["DATE", "KIND", "AMOUNT", "REF"], &rows);
    if let Some(b) = &v.buy_in {
        println!(
            "buy-in {} at {} an instalment: {} paid, {} left ({} instalments)",
            Money(b.total_cents).to_decimal(),
            Money(b.instalment_cents).to_decimal(),
            Money(b.paid_cents).to_decimal(),
            Money(b.remaining_cents).to_decimal(),
            b.instalments_left
        );
    }
    if !v.payments.is_empty() {
        println!("cash owed:");
        let rows: Vec<Vec<String>> = v
            .payments
            .iter()
            .map(|p| {
                vec![
                    p.id.to_string(),
                    p.due.clone(),
                    p.kind.clone(),
                    Money(p.principal_cents).to_decimal(),
                    Money(p.interest_cents).to_decimal(),
                    Money(p.payment_cents).to_decimal(),
                    p.paid_on.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        print_table(&["ID", "DUE", "KIND", "PRINCIPAL", "INTEREST", "PAYMENT", "PAID"], &rows);
    }
    Ok(())
}

fn print_posted(v: &coop_app::capital::PostedView, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(v);
    }
    println!("{} on {}: total {}", v.reference, v.date, Money(v.total_cents).to_decimal());
    let rows: Vec<Vec<String>> = v.members.iter().map(|m| vec![m.email.clone(), Money(m.amount_cents).to_decimal()]).collect();
    print_table(&["EMAIL", "AMOUNT"], &rows);
    Ok(())
}

pub(super) async fn fiscal_year(app: &App, cmd: FiscalYearCommand) -> anyhow::Result<()> {
    let (view, json) = match cmd {
        FiscalYearCommand::Open { year, json } => (app.open_fiscal_year(OP, year).await?, json),
        FiscalYearCommand::Surplus { year, year_flag, amount, from_csv, json } => {
            let year = year.or(year_flag).ok_or_else(|| AppError::invalid("year", "give the fiscal year"))?;
            match (amount, from_csv) {
                (Some(amount), _) => (app.set_fiscal_surplus(OP, year, money("amount", &amount)?).await?, json),
                (None, Some(file)) => return import_surplus(app, year, &file, json).await,
                (None, None) => return Err(AppError::invalid("amount", "give --amount AMOUNT or --from-csv FILE").into()),
            }
        }
        FiscalYearCommand::Close { year, json } => (app.close_fiscal_year(OP, year).await?, json),
        FiscalYearCommand::List { json } => {
            let years = app.fiscal_years(OP).await?;
            if json {
                return print_json(&years);
            }
            let rows: Vec<Vec<String>> = years
                .iter()
                .map(|y| {
                    vec![
                        y.year.to_string(),
                        y.starts.clone(),
                        y.ends.clone(),
                        y.status.clone(),
                        y.surplus_cents.map(|c| Money(c).to_decimal()).unwrap_or_else(|| "-".into()),
                        if y.committed { "committed" } else { "-" }.to_string(),
                    ]
                })
                .collect();
            print_table(&["YEAR", "STARTS", "ENDS", "STATUS", "SURPLUS", "ALLOCATION"], &rows);
            return Ok(());
        }
    };
    if json {
        print_json(&view)
    } else {
        println!(
            "fiscal year {} ({} to {}): {}, surplus {}",
            view.year,
            view.starts,
            view.ends,
            view.status,
            view.surplus_cents.map(|c| Money(c).to_decimal()).unwrap_or_else(|| "not entered".into())
        );
        Ok(())
    }
}

/// `fiscal-year surplus --from-csv FILE`: the net of the income statement in FILE (`-`: stdin).
async fn import_surplus(app: &App, year: i64, file: &std::path::Path, json: bool) -> anyhow::Result<()> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| AppError::invalid("from-csv", format!("cannot read standard input: {e}")))?
    } else {
        std::fs::read_to_string(file).map_err(|e| AppError::invalid("from-csv", format!("cannot read {}: {e}", file.display())))?
    };
    let view = app.import_fiscal_surplus(OP, year, &text).await?;
    if json {
        return print_json(&view);
    }
    let y = &view.fiscal_year;
    println!(
        "fiscal year {} ({} to {}): {}, surplus {} (imported: {} lines, net {})",
        y.year,
        y.starts,
        y.ends,
        y.status,
        y.surplus_cents.map(|c| Money(c).to_decimal()).unwrap_or_else(|| "not entered".into()),
        view.lines,
        Money(view.net_cents).to_decimal()
    );
    Ok(())
}

pub(super) async fn export(app: &App, cmd: ExportCommand) -> anyhow::Result<()> {
    match cmd {
        ExportCommand::Ledger { year, format, out } => {
            let text = app.export_ledger(OP, year, LedgerFormat::parse(&format)?).await?;
            match out {
                Some(path) => write_file(&path, text.as_bytes())?,
                None => print!("{text}"),
            }
        }
    }
    Ok(())
}
