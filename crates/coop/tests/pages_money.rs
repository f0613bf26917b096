//! Black-box tests of the Money pages: the real `coop` binary served on a free port, driven like
//! a browser without JavaScript. Hours and the year's surplus are set up on the command line;
//! the preview, the commit, the statements and the notices go through the pages.

mod common;

use common::browser::{attr_after, Browser, Page};
use common::{coop, Account, TestCoop};

/// A member since 2024 with a password (the test co-op's own members join today, so their hours
/// of 2025 would not count).
fn old_member(c: &TestCoop, name: &str, email: &str, password: &str) -> Account {
    let out = coop(&c.data(), &["member", "add", "--name", name, "--email", email, "--state", "member", "--since", "2024-01-01", "--password-stdin", "--json"], Some(&format!("{password}\n")));
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

    // Without a policy and without figures the page asks for them and changes nothing.
    let ask = ada.get("/money/2025").await;
    assert_eq!(ask.status, 422, "{}", ask.html);
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
