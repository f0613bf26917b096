//! The year's net surplus from the accountant's income statement (profit and loss), as CSV.
//!
//! The co-op's books usually live with an accountant or in a ledger program; at year end coop
//! needs one figure from them, the net surplus (a loss when negative). This module reads it from
//! the statement's CSV export instead of having someone retype it. It is pure: the input is the
//! file's text, the output is the net in cents (exact, never a float) with the number of lines
//! it was summed from, or the first reason the file cannot be read.
//!
//! **All or nothing.** A file with one bad line is refused, naming the line (`line N: reason`,
//! 1-based, the header is line 1, as an editor shows them). An empty file, or one with a header
//! and no lines, is refused too.
//!
//! # The plain format
//!
//! A header, then one line per account, columns matched by name (any case, any order, other
//! columns ignored):
//!
//! | column    | required | holds |
//! |-----------|----------|-------|
//! | `account` | yes      | the account's name; never empty |
//! | `amount`  | yes      | a decimal in the co-op's currency with at most two decimals: `1234.56`, `-99.00`, or with thousands separators `"1,234.56"` (quoted, as a CSV must) |
//! | `type`    | no       | `income` or `expense` |
//!
//! Without a `type` column the net is the sum of the amounts: income positive, expenses
//! negative. With it, the net is the income lines minus the expense lines, so expenses are
//! written as positive numbers (an expense line's negative amount, a refund, adds to the net).
//!
//! # hledger
//!
//! `hledger incomestatement -O csv` (flat or `--tree`, one period) is recognised by its title
//! line (`"Income Statement ..."`), its `Account` line and its `Net:` line. Its `Revenues` and
//! `Expenses` sections are read, each section's account lines are checked against the section's
//! `total` line, and the two totals against the `Net:` line, so a report that does not add up
//! (several periods, several commodities, `--no-total`) is refused rather than misread. The
//! amounts may carry a commodity (`$1200.50`, `1200.50 USD`), one commodity per file.

use crate::import::LineCounter;
use crate::money::Money;
use std::fmt;

/// Which kind of file the statement was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementFormat {
    /// `account,amount[,type]`.
    Plain,
    /// `hledger incomestatement -O csv`.
    Hledger,
}

impl fmt::Display for StatementFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StatementFormat::Plain => "csv",
            StatementFormat::Hledger => "hledger",
        })
    }
}

/// An income statement read whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomeStatement {
    pub format: StatementFormat,
    /// Income minus expenses; negative: a loss.
    pub net: Money,
    /// The account lines it was summed from.
    pub lines: usize,
}

/// Why a statement cannot be read, at which line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct StatementError {
    /// 1-based; the header is line 1.
    pub line: usize,
    pub message: String,
}

impl StatementError {
    fn new(line: usize, message: impl Into<String>) -> StatementError {
        StatementError { line, message: message.into() }
    }
}

/// Reads an income statement, plain or hledger's, all or nothing.
pub fn parse(text: &str) -> Result<IncomeStatement, StatementError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = records(text)?;
    let Some((_, header)) = records.first() else {
        return Err(StatementError::new(1, "the file is empty: expected a header line `account,amount` (and optionally `type`)"));
    };
    if header.first().is_some_and(|h| h.trim().starts_with("Income Statement")) {
        return parse_hledger(&records);
    }
    parse_plain(&records)
}

type Record = (usize, Vec<String>);

/// Every record with the line it starts on; lines of empty cells are left out.
fn records(text: &str) -> Result<Vec<Record>, StatementError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text);
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.line_at(rec.position().map_or(0, |p| p.byte()));
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                out.push((line, rec.iter().map(str::to_string).collect()));
            }
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8: save the file as UTF-8 CSV".to_string(),
                    _ => format!("unreadable CSV: {e}"),
                };
                return Err(StatementError::new(line, message));
            }
        }
    }
    Ok(out)
}

fn plain_header(h: &str) -> String {
    h.trim().to_lowercase()
}

fn parse_plain(records: &[Record]) -> Result<IncomeStatement, StatementError> {
    let (header_line, header) = &records[0];
    let header: Vec<String> = header.iter().map(|h| plain_header(h)).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing = |name: &str| {
        StatementError::new(*header_line, format!("no `{name}` column: the header must name the columns `account,amount` (and optionally `type`)"))
    };
    let account = col("account").ok_or_else(|| missing("account"))?;
    let amount = col("amount").ok_or_else(|| missing("amount"))?;
    let kind = col("type");
    let mut net: i64 = 0;
    for (line, rec) in &records[1..] {
        let line = *line;
        let bad = |m: String| StatementError::new(line, m);
        if rec.len() != header.len() {
            return Err(bad(format!("{} fields where the header has {}", rec.len(), header.len())));
        }
        if rec[account].trim().is_empty() {
            return Err(bad("the account is empty: name the account of every line".into()));
        }
        let cents = parse_amount(&rec[amount]).map_err(&bad)?.cents();
        let signed = match kind {
            None => cents,
            Some(k) => match rec[k].trim().to_lowercase().as_str() {
                "income" => cents,
                "expense" => cents.checked_neg().ok_or_else(|| bad("the amount is too large".into()))?,
                "" => return Err(bad("the type is empty: write income or expense".into())),
                other => return Err(bad(format!("{other:?} is not a type: write income or expense"))),
            },
        };
        net = net.checked_add(signed).ok_or_else(|| bad("the total is too large".into()))?;
    }
    let lines = records.len() - 1;
    if lines == 0 {
        return Err(StatementError::new(*header_line, "the file has a header but no lines: expected one line per account"));
    }
    Ok(IncomeStatement { format: StatementFormat::Plain, net: Money(net), lines })
}

/// A plain amount: an optional sign, digits with optional thousands separators (`1,234.56`),
/// at most two decimals.
fn parse_amount(cell: &str) -> Result<Money, String> {
    let t = cell.trim();
    if t.is_empty() {
        return Err("the amount is empty: write a number such as 1234.56 (negative: -99.00)".into());
    }
    let err = || format!("{t:?} is not an amount: write a number with at most two decimals, such as 1234.56, -99.00 or \"1,234.56\"");
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if rest.trim() != rest {
        return Err(err());
    }
    let digits = ungroup(rest).ok_or_else(err)?;
    let m = Money::parse(&digits).map_err(|_| err())?;
    if digits.starts_with('-') {
        return Err(err());
    }
    Ok(if neg { Money(-m.cents()) } else { m })
}

/// `1,234,567.89` -> `1234567.89`; commas only between groups of three digits.
fn ungroup(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_string());
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = first.to_string();
    for g in groups {
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// An hledger amount: a plain amount with an optional commodity before or after it (`$1200.50`,
/// `$-5`, `-$5`, `1,200.50 USD`), or `0`. Returns the amount and its commodity (empty if none).
fn parse_hledger_amount(cell: &str) -> Result<(Money, String), String> {
    let t = cell.trim();
    let err = || format!("{t:?} is not an amount in one commodity: export with one commodity (hledger -X or -B) and one period");
    if t.is_empty() {
        return Ok((Money(0), String::new()));
    }
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+');
    let (sign, body) = match t.strip_prefix('-') {
        Some(r) if !r.starts_with(|c: char| c.is_ascii_digit()) => ("-", r.trim_start()),
        _ => ("", t),
    };
    let start = body.find(numeric).ok_or_else(err)?;
    let end = body.rfind(|c: char| c.is_ascii_digit()).ok_or_else(err)? + 1;
    let (prefix, number, suffix) = (body[..start].trim(), &body[start..end], body[end..].trim());
    if !prefix.is_empty() && !suffix.is_empty() {
        return Err(err());
    }
    let commodity = if prefix.is_empty() { suffix } else { prefix };
    if commodity.chars().any(|c| c.is_ascii_digit() || c == ',') || number.contains(' ') {
        return Err(err());
    }
    let m = parse_amount(&format!("{sign}{number}")).map_err(|_| err())?;
    Ok((m, commodity.trim_matches('"').to_string()))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Revenues,
    Expenses,
}

fn parse_hledger(records: &[Record]) -> Result<IncomeStatement, StatementError> {
    let mut commodity: Option<String> = None;
    let mut amount = |line: usize, cell: &str| -> Result<i64, StatementError> {
        let (m, c) = parse_hledger_amount(cell).map_err(|e| StatementError::new(line, e))?;
        if !c.is_empty() {
            match &commodity {
                None => commodity = Some(c),
                Some(seen) if *seen != c => {
                    return Err(StatementError::new(line, format!("a second commodity ({c} after {seen}): export with one commodity (hledger -X or -B)")));
                }
                Some(_) => {}
            }
        }
        Ok(m.cents())
    };
    let Some((account_line, account_header)) = records.get(1) else {
        return Err(StatementError::new(records[0].0, "an hledger income statement without its `Account` line"));
    };
    if account_header.first().map(|h| h.trim()) != Some("Account") {
        return Err(StatementError::new(*account_line, "expected hledger's `Account` line after the title"));
    }
    if account_header.len() != 2 {
        return Err(StatementError::new(
            *account_line,
            format!(
                "a report of {} periods: export the whole fiscal year as one period (hledger incomestatement -O csv -p YEAR)",
                account_header.len().saturating_sub(1)
            ),
        ));
    }
    let mut section: Option<Section> = None;
    // Per section: the account lines, and the total once read.
    let mut rows: [Vec<(String, i64)>; 2] = [Vec::new(), Vec::new()];
    let mut totals: [Option<i64>; 2] = [None, None];
    let mut net: Option<(usize, i64)> = None;
    let mut lines = 0usize;
    for (line, rec) in &records[2..] {
        let line = *line;
        if rec.len() != 2 {
            return Err(StatementError::new(line, format!("{} fields where hledger writes 2", rec.len())));
        }
        if net.is_some() {
            return Err(StatementError::new(line, "a line after the `Net:` line"));
        }
        let (name, cell) = (rec[0].trim(), rec[1].as_str());
        match name {
            "Revenues" | "Income" if cell.trim().is_empty() => section = Some(Section::Revenues),
            "Expenses" if cell.trim().is_empty() => section = Some(Section::Expenses),
            "Net:" => net = Some((line, amount(line, cell)?)),
            _ => {
                let Some(s) = section else {
                    return Err(StatementError::new(line, format!("{name:?} comes before the Revenues and Expenses sections")));
                };
                let i = s as usize;
                if name.eq_ignore_ascii_case("total") || name.eq_ignore_ascii_case("total:") {
                    let total = amount(line, cell)?;
                    check_section(&rows[i], total).map_err(|m| StatementError::new(line, m))?;
                    totals[i] = Some(total);
                } else if name.is_empty() {
                    return Err(StatementError::new(line, "the account is empty"));
                } else {
                    let a = amount(line, cell)?;
                    rows[i].push((name.to_string(), a));
                    lines += 1;
                }
            }
        }
    }
    let last = records.last().map_or(1, |r| r.0);
    let Some((net_line, net)) = net else {
        return Err(StatementError::new(last, "no `Net:` line: export with hledger incomestatement -O csv (without --no-total)"));
    };
    let income = totals[Section::Revenues as usize].unwrap_or(0);
    let expenses = totals[Section::Expenses as usize].unwrap_or(0);
    for (i, t) in totals.iter().enumerate() {
        if t.is_none() && !rows[i].is_empty() {
            return Err(StatementError::new(net_line, "a section without its total line: export without --no-total"));
        }
    }
    if income.checked_sub(expenses) != Some(net) {
        return Err(StatementError::new(
            net_line,
            format!(
                "the Net: line says {} but revenues {} minus expenses {} make {}",
                Money(net).to_decimal(),
                Money(income).to_decimal(),
                Money(expenses).to_decimal(),
                { income.checked_sub(expenses).map_or("too much".to_string(), |n| Money(n).to_decimal()) }
            ),
        ));
    }
    if lines == 0 {
        return Err(StatementError::new(net_line, "the statement has no account lines"));
    }
    Ok(IncomeStatement { format: StatementFormat::Hledger, net: Money(net), lines })
}

/// A section's account lines add up to its total: all of them (a flat report), or those with no
/// parent account among them (a `--tree` report, where a parent's line includes its children).
fn check_section(rows: &[(String, i64)], total: i64) -> Result<(), String> {
    fn sum<'r>(it: impl Iterator<Item = &'r (String, i64)>) -> Option<i64> {
        it.map(|r| r.1).try_fold(0i64, |a, b| a.checked_add(b))
    }
    if sum(rows.iter()) == Some(total) {
        return Ok(());
    }
    let top = |name: &str| !rows.iter().any(|(other, _)| name.len() > other.len() && name.starts_with(other.as_str()) && name[other.len()..].starts_with(':'));
    if sum(rows.iter().filter(|r| top(&r.0))) == Some(total) {
        return Ok(());
    }
    Err(format!("the section's lines do not add up to its total {}", Money(total).to_decimal()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn net(text: &str) -> (i64, usize) {
        let s = parse(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (s.net.cents(), s.lines)
    }

    fn refused(text: &str) -> String {
        parse(text).expect_err(text).to_string()
    }

    #[test]
    fn signed_amounts_sum_to_the_net() {
        // 1234.56 + 300.00 - 99.00 - 1000.00 = 435.56
        let text = "account,amount\nSales,1234.56\nConsulting,300\nTools,-99.00\nRent,-1000.00\n";
        assert_eq!(net(text), (43_556, 4));
        // A loss: 100.00 - 250.50 = -150.50
        assert_eq!(net("account,amount\nSales,100\nRent,-250.5\n"), (-15_050, 2));
    }

    #[test]
    fn typed_lines_subtract_expenses() {
        // income 1,234.56 + 2,000.00 = 3,234.56; expenses 99.00 + 1,000.10 = 1,099.10; net 2,135.46.
        let text =
            "Account,Type,Amount,Memo\nSales,income,\"1,234.56\",x\nGrants,INCOME,2000,\nTools,expense,99.00,\nRent,Expense,\"1,000.10\",\"rent, yearly\"\n";
        assert_eq!(net(text), (213_546, 4));
        // A negative expense (a refund) adds: 10.00 - (-2.50) = 12.50.
        assert_eq!(net("account,amount,type\nSales,10,income\nRefund,-2.50,expense\n"), (1250, 2));
        // Thousands separators in the millions, a BOM, CRLF and a trailing empty line.
        assert_eq!(net("\u{feff}account,amount\r\nSales,\"1,234,567.89\"\r\n,\r\n"), (123_456_789, 1));
    }

    #[test]
    fn a_bad_line_refuses_the_whole_file_naming_it() {
        assert_eq!(
            refused("account,amount\nSales,10\nRent,ten\n"),
            "line 3: \"ten\" is not an amount: write a number with at most two decimals, such as 1234.56, -99.00 or \"1,234.56\""
        );
        assert!(refused("account,amount\nSales,1.234\n").starts_with("line 2: "));
        assert!(refused("account,amount\nSales,\"12,34.00\"\n").starts_with("line 2: "));
        assert!(refused("account,amount\nSales,\n").starts_with("line 2: the amount is empty"));
        assert!(refused("account,amount\n  ,5\n").starts_with("line 2: the account is empty"));
        assert_eq!(refused("account,amount,type\nSales,5,income\n\nRent,5,cost\n"), "line 4: \"cost\" is not a type: write income or expense");
        assert!(refused("account,amount,type\nSales,5,\n").starts_with("line 2: the type is empty"));
        assert!(refused("account,amount\nSales,5,6\n").starts_with("line 2: 3 fields"));
        // A quoted account spanning two lines counts both.
        assert!(refused("account,amount\n\"Sales\nnorth\",5\nRent,x\n").starts_with("line 4: "));
    }

    #[test]
    fn empty_files_and_headers_alone_are_refused() {
        assert!(refused("").starts_with("line 1: the file is empty"));
        assert!(refused("\n\n").starts_with("line 1: the file is empty"));
        assert!(refused("account,amount\n").starts_with("line 1: the file has a header but no lines"));
        assert!(refused("name,value\nSales,5\n").starts_with("line 1: no `account` column"));
        assert!(refused("account,value\nSales,5\n").starts_with("line 1: no `amount` column"));
    }

    /// What hledger 1.25 writes for `hledger incomestatement -O csv`.
    const HLEDGER: &str = r#""Income Statement 2025-01-05..2025-03-02",""
"Account","2025-01-05..2025-03-02"
"Revenues",""
"income:consulting","300.00 USD"
"revenues:sales","1200.50 USD"
"total","1500.50 USD"
"Expenses",""
"expenses:rent","450.25 USD"
"expenses:tools","99.00 USD"
"total","549.25 USD"
"Net:","951.25 USD"
"#;

    #[test]
    fn hledger_incomestatement_is_read_and_checked() {
        // 300.00 + 1200.50 - (450.25 + 99.00) = 951.25
        let s = parse(HLEDGER).unwrap();
        assert_eq!((s.format, s.net, s.lines), (StatementFormat::Hledger, Money(95_125), 4));
        // The same with a prefix commodity, in --tree form (the parent line holds its children).
        let tree = r#""Income Statement 2025",""
"Account","2025"
"Revenues",""
"revenues:sales","$1,200.50"
"total","$1,200.50"
"Expenses",""
"expenses","$1,549.25"
"expenses:rent","$1,450.25"
"expenses:tools","$99.00"
"total","$1,549.25"
"Net:","$-348.75"
"#;
        assert_eq!(net(tree), (-34_875, 4));
        // Newer hledger writes "Total:".
        assert_eq!(net(&HLEDGER.replace("\"total\"", "\"Total:\"")), (95_125, 4));
    }

    #[test]
    fn an_hledger_report_that_does_not_add_up_is_refused() {
        assert_eq!(refused(&HLEDGER.replace("951.25", "951.26")), "line 11: the Net: line says 951.26 but revenues 1500.50 minus expenses 549.25 make 951.25");
        assert!(refused(&HLEDGER.replace("\"99.00 USD\"", "\"99.00 EUR\"")).starts_with("line 9: a second commodity"));
        assert!(refused(&HLEDGER.replace("\"450.25 USD\"", "\"450.25 USD\",\"1\"")).starts_with("line 8: 3 fields"));
        assert!(refused(&HLEDGER.replace("\"1500.50 USD\"", "\"1500.51 USD\"")).starts_with("line 6: the section's lines do not add up"));
        let no_net: String = HLEDGER.lines().take(10).map(|l| format!("{l}\n")).collect();
        assert!(refused(&no_net).starts_with("line 10: no `Net:` line"));
        let monthly = "\"Income Statement 2025Q1\",\"\",\"\"\n\"Account\",\"Jan\",\"Feb\"\n";
        assert!(refused(monthly).starts_with("line 2: a report of 2 periods"));
        assert!(refused(&HLEDGER.replace("\"300.00 USD\"", "\"300.00 USD, 2 EUR\"")).starts_with("line 4: "));
    }

    fn grouped(cents: i64) -> String {
        let plain = Money(cents).to_decimal();
        let (sign, rest) = plain.strip_prefix('-').map_or(("", plain.as_str()), |r| ("-", r));
        let (whole, frac) = rest.split_once('.').unwrap();
        let mut out = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        format!("\"{sign}{out}.{frac}\"")
    }

    proptest! {
        #[test]
        fn the_net_is_the_sum_of_the_lines(lines in prop::collection::vec((-100_000_000_000i64..100_000_000_000, any::<bool>(), any::<bool>()), 1..50), typed in any::<bool>()) {
            let mut text = if typed { "account,amount,type\n".to_string() } else { "account,amount\n".to_string() };
            let mut expected: i64 = 0;
            for (i, (cents, expense, group)) in lines.iter().enumerate() {
                let amount = if *group { grouped(*cents) } else { Money(*cents).to_decimal() };
                if typed {
                    text.push_str(&format!("acct {i},{amount},{}\n", if *expense { "expense" } else { "income" }));
                    expected += if *expense { -cents } else { *cents };
                } else {
                    text.push_str(&format!("acct {i},{amount}\n"));
                    expected += cents;
                }
            }
            let s = parse(&text).unwrap();
            prop_assert_eq!(s.net, Money(expected));
            prop_assert_eq!(s.lines, lines.len());
        }

        #[test]
        fn one_bad_line_anywhere_is_named(n in 1usize..20, bad in 0usize..20) {
            let bad = bad % n;
            let mut text = "account,amount\n".to_string();
            for i in 0..n {
                text.push_str(&if i == bad { format!("acct {i},12.3.4\n") } else { format!("acct {i},{i}.25\n") });
            }
            let e = parse(&text).unwrap_err();
            prop_assert_eq!(e.line, bad + 2);
        }
    }
}
