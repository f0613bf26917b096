//! Black-box tests of the Pay page: the real `coop` binary served on a free port, driven like a
//! browser without JavaScript. The pay system is proposed and voted through on the command line;
//! the month is read by a member and approved by an admin through the page's form.

mod common;

use common::browser::Browser;
use common::{coop, TestCoop};

/// A majority class and an equal-pay system at 20.00 an hour from October 2026, voted through by
/// the two members; Ben worked 7.5 h in November, Ada 4 h.
fn pay_coop() -> TestCoop {
    let c = TestCoop::start();
    let data = c.data();
    coop(&data, &["class", "set", "general", "--rule-json", r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#], None);
    let file = c.dir.path().join("system.json");
    std::fs::write(&file, r#"{"basis":{"kind":"equal_hourly","rate":"20.00","internal_paid":true},"max_ratio":"2:1"}"#).unwrap();
    let out = coop(&data, &["pay", "system", "propose", file.to_str().unwrap(), "--from", "2026-10", "--json"], None);
    let proposal = serde_json::from_str::<serde_json::Value>(&out).unwrap()["proposal"].to_string();
    for email in [&c.admin.email, &c.member.email] {
        coop(&data, &["vote", &proposal, "--member", email, "--choice", "yes"], None);
    }
    coop(&data, &["hours", "log", "--member", &c.member.email, "--date", "2026-11-02", "--hours", "7.5", "--project", "Bakery"], None);
    coop(&data, &["hours", "log", "--member", &c.admin.email, "--date", "2026-11-03", "--hours", "4", "--project", "Bakery"], None);
    c
}

#[tokio::test]
async fn a_member_reads_the_draft_and_an_admin_approves_it() {
    let c = pay_coop();
    let ben = Browser::new(&c, None);
    ben.sign_in(&c.member).await;
    let page = ben.get("/work/pay?month=2026-11").await;
    page.assert_status(200).assert_contains("Pay for 2026-11").assert_contains("Draft: computed from the hours as they stand");
    // 7.5 h x 20.00 = 150.00; 4 h x 20.00 = 80.00; the total 230.00. The ratio of equal pay is 1.00:1.
    let table = page.element("pay-members", "table");
    assert!(table.contains(">150.00<") && table.contains(">80.00<"), "{table}");
    assert!(page.element("pay-total", "td").contains("230.00"));
    let ratio = page.element("pay-ratio", "p");
    assert!(ratio.contains("Top-to-bottom pay ratio:") && ratio.contains("1.00:1") && ratio.contains("2:1") && !ratio.contains("Over the limit"), "{ratio}");
    // A member sees no approval form, and posting it anyway is refused.
    page.assert_lacks(r#"id="approve-form""#);
    let refused = ben.post("/work/pay/2026-11/approve", &[("csrf_token", &page.csrf())]).await;
    assert_eq!(refused.status, 403, "{}", refused.html);
    // A month before the system shows that none is in force.
    ben.get("/work/pay?month=2026-09").await.assert_status(200).assert_contains(r#"id="no-system""#);

    let ada = Browser::new(&c, None);
    ada.sign_in(&c.admin).await;
    let page = ada.get("/work/pay?month=2026-11").await;
    page.assert_contains(r#"id="approve-form""#);
    // Without the form's token nothing is approved.
    let forged = ada.post("/work/pay/2026-11/approve", &[("csrf_token", "forged")]).await;
    assert_eq!(forged.status, 403);
    assert!(ada.get("/work/pay/2026-11/csv").await.status >= 400, "no CSV before approval");
    let done = ada.post("/work/pay/2026-11/approve", &[("csrf_token", &page.csrf())]).await;
    let page = ada.follow(&done).await;
    page.assert_status(200).assert_contains("pay is approved and sealed.").assert_lacks(r#"id="approve-form""#);
    assert!(page.html.contains("Sealed in the journal:"), "{}", page.html);
    let csv = ada.get("/work/pay/2026-11/csv").await;
    csv.assert_status(200);
    assert_eq!(csv.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    assert!(csv.html.contains("ben@example.org,Ben Baker,2026-11,7.50,150.00,0.00,150.00"), "{}", csv.html);
    // The approved month is locked for the timesheet's use case too.
    let out = common::coop_command(&c.data()).args(["hours", "log", "--member", &c.member.email, "--date", "2026-11-04", "--hours", "1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("locked"));
    // The list of approved months links the month.
    ben.get("/work/pay").await.assert_contains(r#"<a href="/work/pay?month=2026-11">2026-11</a>: 230.00"#);
}
