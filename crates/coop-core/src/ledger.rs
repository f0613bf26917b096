//! Double-entry transactions, and their text for hledger, beancount and CSV.
//!
//! The co-op's bookkeeper keeps the books in their own tool; coop hands them every allocation,
//! cash payment, retained credit, buy-in, interest posting and redemption as balanced
//! transactions. A [`Transaction`] can only be built balanced (its postings sum to zero, in
//! integer cents) with valid account names, so every export is balanced by construction and
//! `hledger check` / `bean-check` accept it.
//!
//! Signs follow the plain-text-accounting convention: debits positive, credits negative. Equity
//! and liabilities therefore carry negative balances; a member's capital of 100.00 is
//! `Equity:Capital:M3 -100.00`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use jiff::civil::Date;

use crate::money::Money;

/// Why a transaction cannot be built.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum LedgerError {
    #[error("a transaction needs at least two postings")]
    TooFewPostings,
    #[error("the postings of {description:?} sum to {} instead of zero", Money(*sum).to_decimal())]
    Unbalanced { description: String, sum: i64 },
    #[error("{0:?} is not an account name: use components such as Equity:Capital:M3 (a capital letter or digit first, then letters, digits or dashes)")]
    BadAccount(String),
    #[error("{0:?} is not a currency code: use three to five capital letters, e.g. USD")]
    BadCurrency(String),
}

/// One line of a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    pub account: String,
    pub amount_cents: i64,
}

impl Posting {
    pub fn new(account: impl Into<String>, amount_cents: i64) -> Posting {
        Posting { account: account.into(), amount_cents }
    }
}

/// A balanced transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    date: Date,
    /// A short reference that ties the transaction to coop's own records, e.g. `allocation:2025`.
    reference: String,
    description: String,
    postings: Vec<Posting>,
}

/// Whether `name` is valid in both hledger and beancount: at least two components separated by
/// `:`, each starting with an ASCII capital letter or digit, then letters, digits or `-`; the
/// first one of beancount's five roots.
pub fn valid_account(name: &str) -> bool {
    let mut parts = name.split(':');
    let root_ok = matches!(parts.next(), Some("Assets" | "Liabilities" | "Equity" | "Income" | "Expenses"));
    let mut count = 1;
    let rest_ok = parts.all(|p| {
        count += 1;
        let mut chars = p.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    root_ok && rest_ok && count >= 2
}

fn valid_currency(c: &str) -> bool {
    (3..=5).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_uppercase())
}

/// Text safe inside a double-quoted beancount string or an hledger description: no quotes,
/// backslashes, `;` or line breaks.
fn clean(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '"' | '\\' | '\n' | '\r' | ';' | '|') { ' ' } else { c }).collect()
}

impl Transaction {
    /// Builds a transaction; refuses postings that do not sum to zero or name a bad account.
    /// Postings of zero are dropped (a member with nothing to pay gets no line).
    pub fn new(date: Date, reference: &str, description: &str, postings: Vec<Posting>) -> Result<Transaction, LedgerError> {
        for p in &postings {
            if !valid_account(&p.account) {
                return Err(LedgerError::BadAccount(p.account.clone()));
            }
        }
        let sum: i128 = postings.iter().map(|p| i128::from(p.amount_cents)).sum();
        if sum != 0 {
            return Err(LedgerError::Unbalanced { description: description.to_string(), sum: sum.clamp(i64::MIN.into(), i64::MAX.into()) as i64 });
        }
        let postings: Vec<Posting> = postings.into_iter().filter(|p| p.amount_cents != 0).collect();
        if postings.len() < 2 {
            return Err(LedgerError::TooFewPostings);
        }
        Ok(Transaction { date, reference: clean(reference), description: clean(description), postings })
    }

    /// Like [`Transaction::new`], but `None` (nothing to record) when every posting is zero.
    pub fn maybe(date: Date, reference: &str, description: &str, postings: Vec<Posting>) -> Result<Option<Transaction>, LedgerError> {
        if postings.iter().all(|p| p.amount_cents == 0) {
            for p in &postings {
                if !valid_account(&p.account) {
                    return Err(LedgerError::BadAccount(p.account.clone()));
                }
            }
            return Ok(None);
        }
        Transaction::new(date, reference, description, postings).map(Some)
    }

    pub fn date(&self) -> Date {
        self.date
    }

    pub fn reference(&self) -> &str {
        &self.reference
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }
}

fn sorted(txs: &[Transaction]) -> Vec<&Transaction> {
    let mut v: Vec<&Transaction> = txs.iter().collect();
    // Stable: same-day transactions keep the order they were given in.
    v.sort_by_key(|t| t.date);
    v
}

/// An hledger journal: `commodity` and `account` declarations first, then the transactions in date order, each with its
/// reference as the code (`2026-01-15 (allocation:2025) ...`).
pub fn hledger(txs: &[Transaction], currency: &str) -> Result<String, LedgerError> {
    if !valid_currency(currency) {
        return Err(LedgerError::BadCurrency(currency.to_string()));
    }
    let mut out = String::new();
    let _ = writeln!(out, "; exported by coop\ncommodity 1000.00 {currency}\n");
    // Every account declared, so that `hledger check --strict` accepts the file too.
    let accounts: BTreeSet<&str> = txs.iter().flat_map(|t| t.postings.iter().map(|p| p.account.as_str())).collect();
    for a in &accounts {
        let _ = writeln!(out, "account {a}");
    }
    out.push('\n');
    for t in sorted(txs) {
        let _ = writeln!(out, "{} ({}) {}", t.date, t.reference, t.description);
        for p in &t.postings {
            let _ = writeln!(out, "    {}  {} {currency}", p.account, Money(p.amount_cents).to_decimal());
        }
        out.push('\n');
    }
    Ok(out)
}

/// A beancount file: the operating currency, one `open` per account on the first date it is
/// used, then the transactions in date order with the reference as a `ref` metadata line.
pub fn beancount(txs: &[Transaction], currency: &str) -> Result<String, LedgerError> {
    if !valid_currency(currency) {
        return Err(LedgerError::BadCurrency(currency.to_string()));
    }
    let txs = sorted(txs);
    let mut out = String::new();
    let _ = writeln!(out, "; exported by coop\noption \"operating_currency\" \"{currency}\"\n");
    let mut opened: BTreeSet<&str> = BTreeSet::new();
    for t in &txs {
        for p in &t.postings {
            if opened.insert(&p.account) {
                let _ = writeln!(out, "{} open {} {currency}", t.date, p.account);
            }
        }
    }
    out.push('\n');
    for t in &txs {
        let _ = writeln!(out, "{} * \"{}\"", t.date, t.description);
        let _ = writeln!(out, "  ref: \"{}\"", t.reference);
        for p in &t.postings {
            let _ = writeln!(out, "  {}  {} {currency}", p.account, Money(p.amount_cents).to_decimal());
        }
        out.push('\n');
    }
    Ok(out)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV, one posting a row: `date,ref,description,account,amount,currency`; the rows of one
/// transaction are adjacent and sum to zero.
pub fn csv(txs: &[Transaction], currency: &str) -> Result<String, LedgerError> {
    if !valid_currency(currency) {
        return Err(LedgerError::BadCurrency(currency.to_string()));
    }
    let mut out = String::from("date,ref,description,account,amount,currency\n");
    for t in sorted(txs) {
        for p in &t.postings {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{currency}",
                t.date,
                csv_field(&t.reference),
                csv_field(&t.description),
                p.account,
                Money(p.amount_cents).to_decimal()
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn tx() -> Transaction {
        Transaction::new(
            date(2025, 12, 31),
            "allocation:2025",
            "Allocation of 2025",
            vec![Posting::new("Equity:Surplus", 10_000), Posting::new("Equity:Reserve", -2_500), Posting::new("Equity:Capital:M1", -7_500)],
        )
        .unwrap()
    }

    #[test]
    fn unbalanced_or_badly_named_transactions_cannot_be_built() {
        let d = date(2025, 1, 1);
        assert_eq!(
            Transaction::new(d, "r", "x", vec![Posting::new("Assets:Bank", 100), Posting::new("Equity:Capital:M1", -99)]),
            Err(LedgerError::Unbalanced { description: "x".into(), sum: 1 })
        );
        assert_eq!(
            Transaction::new(d, "r", "x", vec![Posting::new("Assets:bank", 1), Posting::new("Equity:Capital:M1", -1)]),
            Err(LedgerError::BadAccount("Assets:bank".into()))
        );
        assert!(matches!(Transaction::new(d, "r", "x", vec![Posting::new("Bank", 1), Posting::new("Equity:X", -1)]), Err(LedgerError::BadAccount(_))));
        assert_eq!(Transaction::new(d, "r", "x", vec![Posting::new("Assets:Bank", 0), Posting::new("Equity:X", 0)]), Err(LedgerError::TooFewPostings));
        assert_eq!(Transaction::maybe(d, "r", "x", vec![Posting::new("Assets:Bank", 0), Posting::new("Equity:X", 0)]), Ok(None));
        assert!(valid_account("Equity:Capital:M12"));
        assert!(valid_account("Liabilities:Patronage-Payable:M1"));
        assert!(!valid_account("Equity"));
        assert!(!valid_account("Equity:Capital:m1"));
        assert!(!valid_account("Equity::M1"));
    }

    #[test]
    fn hledger_text() {
        let text = hledger(&[tx()], "USD").unwrap();
        assert!(text.contains("commodity 1000.00 USD"));
        assert!(text.contains("account Equity:Capital:M1\naccount Equity:Reserve\naccount Equity:Surplus\n"), "{text}");
        assert!(text.contains("2025-12-31 (allocation:2025) Allocation of 2025\n    Equity:Surplus  100.00 USD\n    Equity:Reserve  -25.00 USD\n    Equity:Capital:M1  -75.00 USD\n"), "{text}");
        assert!(hledger(&[tx()], "usd").is_err());
    }

    #[test]
    fn beancount_text_opens_every_account_once() {
        let later = Transaction::new(date(2026, 3, 15), "cash:2025", "Cash \"instalment\"", vec![Posting::new("Equity:Capital:M1", 100), Posting::new("Assets:Bank", -100)]).unwrap();
        let text = beancount(&[later, tx()], "USD").unwrap();
        assert_eq!(text.matches(" open Equity:Capital:M1 USD").count(), 1);
        assert!(text.contains("2025-12-31 open Equity:Capital:M1 USD"), "opened on first use: {text}");
        assert!(text.contains("2026-03-15 open Assets:Bank USD"));
        // Quotes in a description are made harmless; the transactions come in date order.
        assert!(text.contains("2026-03-15 * \"Cash  instalment \""));
        assert!(text.find("2025-12-31 *").unwrap() < text.find("2026-03-15 *").unwrap());
    }

    #[test]
    fn csv_rows_sum_to_zero() {
        let text = csv(&[tx()], "USD").unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "date,ref,description,account,amount,currency");
        assert_eq!(lines[1], "2025-12-31,allocation:2025,Allocation of 2025,Equity:Surplus,100.00,USD");
        assert_eq!(lines.len(), 4);
    }

    proptest! {
        #[test]
        fn any_balanced_set_of_postings_builds_and_sums_to_zero(amounts in prop::collection::vec(-1_000_000_000i64..1_000_000_000, 1..20)) {
            let mut postings: Vec<Posting> = amounts.iter().enumerate().map(|(i, &a)| Posting::new(format!("Equity:Capital:M{i}"), a)).collect();
            postings.push(Posting::new("Equity:Surplus", -amounts.iter().sum::<i64>()));
            match Transaction::new(date(2025, 1, 1), "r", "d", postings) {
                Ok(t) => prop_assert_eq!(t.postings().iter().map(|p| p.amount_cents).sum::<i64>(), 0),
                Err(LedgerError::TooFewPostings) => prop_assert!(amounts.iter().filter(|&&a| a != 0).count() <= 1),
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
        }
    }
}
