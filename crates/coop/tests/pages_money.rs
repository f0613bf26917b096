//! Black-box tests of the Money pages: the real `coop` binary served on a free port, driven like
//! a browser without JavaScript. Hours and the year's surplus are set up on the command line;
//! the preview, the commit, the statements and the notices go through the pages.

mod common;

use common::browser::{attr_after, Browser, Page};
use common::{coop, Account, TestCoop};

/// A member since 2024 with a password (the test co-op's own members join today, so their hours
/// of 2025 would not count).
fn old_member(c: &TestCoop, name: &str, email: &str, password: &str) -> Account {
    let out = coop(
        &c.data(),
        &["member", "add", "--name", name, "--email", email, "--state", "member", "--since", "2024-01-01", "--password-stdin", "--json"],
        Some(&format!("{password}\n")),
    );
    let id = serde_json::from_str::<serde_json::Value>(out.trim()).unwrap()["id"].as_i64().unwrap();
    Account { id, name: name.into(), email: email.into(), password: password.into() }
}

/// Dan worked 4 h in 2024; Dan 10 h and Eve 6 h in March 2025; the surplus of 2025 is 10,000.00 and of 2024
/// 4,000.00. No policy is adopted, so the figures come from the form.
fn money_coop() -> (TestCoop, Account, Account) {
    let c = TestCoop::start();
    let data = c.data();
    let dan = old_member(&c, "Dan Dough", "dan@example.org", "dan-password-1");
    let eve = old_member(&c, "Eve Oven", "eve@example.org", "eve-password-1");
    coop(&data, &["hours", "log", "--member", &dan.email, "--date", "2025-03-03", "--hours", "10"], None);
    coop(&data, &["hours", "log", "--member", &eve.email, "--date", "2025-03-04", "--hours", "6"], None);
    coop(&data, &["hours", "log", "--member", &dan.email, "--date", "2024-05-06", "--hours", "4"], None);
    coop(&data, &["fiscal-year", "surplus", "2024", "--amount", "4000.00"], None);
    coop(&data, &["fiscal-year", "surplus", "2025", "--amount", "10000.00"], None);
    (c, dan, eve)
}

fn head(page: &Page) -> String {
    page.element("journal-head", "p")
}

/// The page rules: no inline style, a label for every visible input, a scope on every header cell.
#[track_caller]
fn assert_accessible(page: &Page) {
    let html = &page.html;
    assert!(!html.contains("style=") && !html.contains("<style") && !html.contains("<th>"), "{html}");
    for (i, _) in html.match_indices("<input ") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        if tag.contains(r#"type="hidden""#) {
            continue;
        }
        let id = attr_after(tag, r#"id=""#).unwrap_or_else(|| panic!("an input without id: {tag}"));
        assert!(html.contains(&format!(r#"<label for="{id}">"#)), "no label for {id}");
    }
}

#[tokio::test]
async fn preview_changes_nothing_and_an_admin_commits_once_through_the_form() {
    let (c, dan, eve) = money_coop();
    let ada = Browser::new(&c, None);
    ada.sign_in(&c.admin).await;

    // The dashboard: one bar per fiscal year, the same numbers in the table, the check holding.
    let money = ada.get("/money").await;
    money.assert_status(200);
    assert_accessible(&money);
    let chart = money.element("chart-surplus", "svg");
    assert!(chart.contains(r#"role="img""#), "{chart}");
    assert_eq!(chart.matches("<rect ").count(), 2, "one bar per year: {chart}");
    assert!(chart.contains(r#"data-year="2024""#) && chart.contains(r#"data-year="2025""#));
    let years = money.element("fiscal-years", "table");
    assert!(years.contains("$10,000.00") && years.contains("$4,000.00"), "{years}");
    assert!(money.element("equity-check", "p").contains("The check holds"));
    let accounts = money.element("member-accounts", "table");
    assert!(accounts.contains("Dan Dough") && accounts.contains("Eve Oven") && accounts.contains("$0.00"), "{accounts}");

    // Without a policy and without figures the page asks for them (an answer: 200) and
    // changes nothing.
    let ask = ada.get("/money/2025").await;
    assert_eq!(ask.status, 200, "{}", ask.html);
    ask.assert_contains("give the reserve share").assert_lacks(r#"id="commit-form""#);

    // The what-if: 25% to the reserve, 20% in cash, by hours. 7,500.00 split 10:6.
    let before = head(&ada.get("/money").await);
    let preview = ada.get("/money/2025?reserve=25&cash=20&basis=hours").await;
    preview.assert_status(200).assert_contains("Preview: nothing is posted");
    assert_accessible(&preview);
    let table = preview.element("allocation-members", "table");
    for figure in ["$4,687.50", "$937.50", "$3,750.00", "$2,812.50", "$562.50", "$2,250.00"] {
        assert!(table.contains(figure), "{figure} in {table}");
    }
    assert!(preview.element("alloc-reserve", "dd").contains("$2,500.00"));
    // The cash is due on the payment deadline: 1,500.00 in one month.
    let cash = preview.element("cash-by-month", "table");
    assert!(cash.contains("$1,500.00"), "{cash}");
    // Another what-if changes the result, and still nothing.
    let other = ada.get("/money/2025?reserve=50&cash=20&basis=hours").await;
    assert!(other.element("allocation-members", "table").contains("$3,125.00"));
    assert_eq!(head(&ada.get("/money").await), before, "a preview writes nothing to the journal");
    ada.get(&format!("/money/members/{}", dan.id)).await.assert_status(200).assert_contains(r#"id="no-entries""#);

    // The commit form carries the previewed figures; without the session's token it is refused.
    assert!(preview.element("commit-figures", "p").contains("reserve 25%, cash 20%, basis hours"));
    let reserve = attr_after(&preview.html, r#"type="hidden" name="reserve" value=""#).unwrap();
    let cash = attr_after(&preview.html, r#"type="hidden" name="cash" value=""#).unwrap();
    let basis = attr_after(&preview.html, r#"type="hidden" name="basis" value=""#).unwrap();
    assert_eq!((reserve.as_str(), cash.as_str(), basis.as_str()), ("25", "20", "hours"));
    let figures = [("reserve", reserve.as_str()), ("cash", cash.as_str()), ("basis", basis.as_str())];
    let mut forged = vec![("csrf_token", "forged")];
    forged.extend(figures);
    assert_eq!(ada.post("/money/2025/commit", &forged).await.status, 403);
    assert_eq!(ada.post("/money/2025/commit", &figures).await.status, 403);
    assert_eq!(head(&ada.get("/money").await), before, "a refused commit writes nothing");

    let csrf = preview.csrf();
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend(figures);
    let done = ada.post("/money/2025/commit", &form).await;
    assert_eq!(done.status, 303, "{}", done.html);
    assert_eq!(done.location(), "/money/2025");
    let sealed = ada.follow(&done).await;
    sealed.assert_status(200).assert_contains("The allocation of 2025 is committed and sealed.").assert_lacks(r#"id="commit-form""#);
    let hash = sealed.element("sealed-hash", "code");
    let hash = hash.rsplit('>').next().unwrap().trim().to_string();
    assert_eq!(hash.len(), 64, "{hash}");
    assert!(hash.chars().all(|ch| ch.is_ascii_hexdigit()), "{hash}");
    let table = sealed.element("allocation-members", "table");
    assert!(table.contains("$4,687.50") && table.contains("$3,750.00"), "the committed figures are the previewed ones: {table}");
    assert!(table.contains(&format!("/money/2025/notices/{}.pdf", dan.id)), "{table}");
    assert_ne!(head(&sealed), before);

    // A year commits once.
    let again = ada.post("/money/2025/commit", &form).await;
    assert_eq!(again.status, 409, "{}", again.html);
    again.assert_contains("already committed");

    // The accounts and the reserve now hold the year, and the check still holds.
    let money = ada.get("/money").await;
    assert!(money.element("equity-check", "p").contains("The check holds"));
    assert!(money.element("equity-members", "dd").contains("$6,000.00"));
    assert!(money.element("equity-reserve", "dd").contains("$2,500.00"));
    assert!(money.element("member-accounts", "table").contains("$3,750.00"));

    // The notices: a PDF, and the HTML with the member's figures.
    let pdf = ada.client.get(c.url(&format!("/money/2025/notices/{}.pdf", dan.id))).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let html = ada.get(&format!("/money/2025/notices/{}.html", eve.id)).await;
    html.assert_status(200).assert_contains("Eve Oven").assert_contains("2812.50").assert_contains(&hash);
    assert!(html.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(ada.get("/money/2025/notices/999.pdf").await.status, 404);
    assert_eq!(ada.get(&format!("/money/2025/notices/{}.txt", dan.id)).await.status, 404);
}

#[tokio::test]
async fn a_member_reads_their_statement_and_not_anyone_elses_notice() {
    let (c, dan, eve) = money_coop();
    coop(&c.data(), &["patronage", "run", "--year", "2025", "--reserve", "25", "--cash", "20", "--basis", "hours", "--commit"], None);
    let browser = Browser::new(&c, None);
    browser.sign_in(&dan).await;

    // The statement: date, kind, amount, reference and the running balance.
    let statement = browser.get(&format!("/money/members/{}", dan.id)).await;
    statement.assert_status(200);
    let rows = statement.element("statement", "table");
    for cell in ["31 Dec 2025", "Retained allocation", "$3,750.00", "allocation:2025"] {
        assert!(rows.contains(cell), "{cell} in {rows}");
    }
    assert!(statement.element("statement-balance", "strong").contains("$3,750.00"));
    // Another member's account and notice are refused.
    assert_eq!(browser.get(&format!("/money/members/{}", eve.id)).await.status, 403);
    assert_eq!(browser.get(&format!("/money/2025/notices/{}.html", eve.id)).await.status, 403);
    assert_eq!(browser.get(&format!("/money/2025/notices/{}.pdf", eve.id)).await.status, 403);
    // Their own notice is theirs to read, linked from the year's page.
    let own = browser.get(&format!("/money/2025/notices/{}.html", dan.id)).await;
    own.assert_status(200).assert_contains("3750.00 USD");
    let year = browser.get("/money/2025").await;
    year.assert_contains(&format!("/money/2025/notices/{}.pdf", dan.id)).assert_lacks(&format!("/money/2025/notices/{}.pdf", eve.id));

    // In Arabic the page is right to left, with the same two-decimal amounts and the currency.
    let arabic = Browser::new(&c, Some("ar"));
    arabic.sign_in(&dan).await;
    let page = arabic.get(&format!("/money/members/{}", dan.id)).await;
    page.assert_status(200).assert_contains(r#"<html lang="ar" dir="rtl""#).assert_contains("كشف الحساب الرأسمالي").assert_contains("3,750.00 USD");
    assert_accessible(&page);

    // The dashboard shows a member their own account only, and the committed year to all.
    let money = browser.get("/money").await;
    money.assert_status(200);
    let accounts = money.element("member-accounts", "table");
    assert!(accounts.contains("Dan Dough") && !accounts.contains("Eve Oven"), "{accounts}");
    let year = browser.get("/money/2025").await;
    year.assert_status(200).assert_contains("The committed allocation").assert_lacks(r#"id="commit-form""#);
    // A member cannot commit, even with the token.
    let open = browser.get("/money/2024?reserve=25&cash=20&basis=hours").await;
    open.assert_status(200).assert_lacks(r#"id="commit-form""#);
    let refused = browser.post("/money/2024/commit", &[("csrf_token", &open.csrf()), ("reserve", "25"), ("cash", "20"), ("basis", "hours")]).await;
    assert_eq!(refused.status, 403, "{}", refused.html);
    // A year without a surplus says so at the top of the form.
    let empty = browser.get("/money/2023?reserve=25&cash=20&basis=hours").await;
    assert_eq!(empty.status, 422);
    empty.assert_contains("no surplus is entered for 2023").assert_lacks(r#"id="result""#);
    assert_eq!(browser.get("/money/twenty").await.status, 404);
    // Bad figures are shown next to their field.
    let bad = browser.get("/money/2024?reserve=abc&cash=20&basis=stars").await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains(r#"id="whatif-reserve-error""#) && bad.html.contains(r#"id="whatif-basis-error""#), "{}", bad.html);
}

/// The year's surplus kept in the browser: an admin opens the next year, enters its surplus,
/// pastes the accountant's income statement (a bad line is named and changes nothing) and closes
/// a year that is over; a member sees no form and is refused; a form without the token is refused.
#[tokio::test]
async fn an_admin_opens_a_year_enters_or_imports_its_surplus_and_closes_it() {
    let (c, dan, _eve) = money_coop();
    let ada = Browser::new(&c, None);
    ada.sign_in(&c.admin).await;

    // The next year after 2024 and 2025 is offered.
    let money = ada.get("/money").await;
    money.assert_status(200);
    assert_accessible(&money);
    let open = money.element("open-year-form", "form");
    assert_eq!(attr_after(&open, r#"name="year" type="text" value=""#).as_deref(), Some("2026"), "{open}");
    let csrf = money.csrf();
    let before = head(&money);
    // Without the session's token nothing is opened.
    assert_eq!(ada.post("/money/open", &[("year", "2026")]).await.status, 403);
    assert_eq!(ada.post("/money/open", &[("csrf_token", "forged"), ("year", "2026")]).await.status, 403);
    assert_eq!(head(&ada.get("/money").await), before);
    // A year that is not a number is shown beside the field.
    let bad = ada.post("/money/open", &[("csrf_token", &csrf), ("year", "next")]).await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains(r#"id="open-year-error""#), "{}", bad.html);
    let opened = ada.post("/money/open", &[("csrf_token", &csrf), ("year", "2026")]).await;
    assert_eq!(opened.status, 303, "{}", opened.html);
    assert_eq!(opened.location(), "/money/2026");
    let year = ada.follow(&opened).await;
    year.assert_contains("Fiscal year 2026 is open.");
    assert!(year.element("fiscal-year", "p").contains("not entered"));
    assert_accessible(&year);
    // Opening it twice is refused beside the field.
    let twice = ada.post("/money/open", &[("csrf_token", &csrf), ("year", "2026")]).await;
    assert_eq!(twice.status, 409, "{}", twice.html);
    assert!(twice.element("open-year-error", "p").contains("already open"));

    // The surplus, typed: a bad amount is shown beside the field and changes nothing.
    assert!(year.html.contains(r#"id="surplus-form""#) && year.html.contains(r#"id="import-form""#) && year.html.contains(r#"id="close-form""#));
    let before = head(&ada.get("/money").await);
    let bad = ada.post("/money/2026/surplus", &[("csrf_token", &csrf), ("amount", "twelve")]).await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.element("surplus-amount-error", "p").contains("at most two decimals"));
    assert_eq!(attr_after(&bad.html, r#"name="amount" type="text" value=""#).as_deref(), Some("twelve"));
    assert_eq!(ada.post("/money/2026/surplus", &[("amount", "12500.50")]).await.status, 403, "no token, no surplus");
    assert_eq!(head(&ada.get("/money").await), before);
    let entered = ada.post("/money/2026/surplus", &[("csrf_token", &csrf), ("amount", "12500.50")]).await;
    assert_eq!(entered.status, 303, "{}", entered.html);
    let year = ada.follow(&entered).await;
    year.assert_contains("The net surplus of 2026 is entered.");
    assert!(year.element("fiscal-year", "p").contains("$12,500.50"));

    // The income statement, pasted: a bad line is named, the text is kept, and nothing changes.
    let before = head(&year);
    let bad_csv = "account,amount,type\r\nSales,\"20,000.00\",income\r\nRent,lots,expense\r\n";
    let refused = ada.post("/money/2026/import", &[("csrf_token", &csrf), ("csv", bad_csv)]).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused.element("import-csv-error", "p").contains("line 3: \"lots\" is not an amount"), "{}", refused.html);
    assert!(refused.element("import-csv", "textarea").contains("Rent,lots,expense"));
    let page = ada.get("/money/2026").await;
    assert_eq!(head(&page), before, "a refused import writes nothing");
    assert!(page.element("fiscal-year", "p").contains("$12,500.50"));
    // income 20,000.00 + 150.25, expenses 7,000.00: 13,150.25 from 3 lines.
    let good_csv = "account,amount,type\r\nSales,\"20,000.00\",income\r\nInterest,150.25,income\r\nRent,\"7,000.00\",expense\r\n";
    let imported = ada.post("/money/2026/import", &[("csrf_token", &csrf), ("csv", good_csv)]).await;
    assert_eq!(imported.status, 303, "{}", imported.html);
    let year = ada.follow(&imported).await;
    year.assert_contains("$13,150.25 from 3 lines");
    assert!(year.element("fiscal-year", "p").contains("$13,150.25"));

    // A year that is not over cannot close; one that is over closes, and its surplus is fixed.
    let early = ada.post("/money/2026/close", &[("csrf_token", &csrf)]).await;
    assert_eq!(early.status, 409, "{}", early.html);
    early.assert_contains("runs until 2026-12-31");
    let closed = ada.post("/money/2025/close", &[("csrf_token", &csrf)]).await;
    assert_eq!(closed.status, 303, "{}", closed.html);
    let year = ada.follow(&closed).await;
    year.assert_contains("Fiscal year 2025 is closed.").assert_lacks(r#"id="surplus-form""#).assert_lacks(r#"id="close-form""#);
    let late = ada.post("/money/2025/surplus", &[("csrf_token", &csrf), ("amount", "1.00")]).await;
    assert_eq!(late.status, 409, "{}", late.html);
    late.assert_contains("is closed");

    // A member sees no form, and is refused even with the token.
    let member = Browser::new(&c, None);
    member.sign_in(&dan).await;
    let money = member.get("/money").await;
    money.assert_status(200).assert_lacks(r#"id="open-year-form""#);
    member.get("/money/2026").await.assert_lacks(r#"id="surplus-form""#).assert_lacks(r#"id="import-form""#).assert_lacks(r#"id="close-form""#);
    let token = money.csrf();
    let before = head(&money);
    assert_eq!(member.post("/money/open", &[("csrf_token", &token), ("year", "2027")]).await.status, 403);
    assert_eq!(member.post("/money/2026/surplus", &[("csrf_token", &token), ("amount", "1.00")]).await.status, 403);
    assert_eq!(member.post("/money/2026/surplus", &[("csrf_token", &token), ("amount", "junk")]).await.status, 403);
    assert_eq!(member.post("/money/2026/import", &[("csrf_token", &token), ("csv", good_csv)]).await.status, 403);
    assert_eq!(member.post("/money/2026/close", &[("csrf_token", &token)]).await.status, 403);
    assert_eq!(head(&member.get("/money").await), before);
    assert!(member.get("/money/2026").await.element("fiscal-year", "p").contains("$13,150.25"));
}
