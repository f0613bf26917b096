//! Black-box tests of the surplus and capital API: the real `coop` binary, prepared with the
//! CLI and served on a free port, driven with reqwest. Fiscal years opened, their surplus
//! entered or imported (a bad line refused whole, naming it), closed; a year's allocation
//! previewed to the cent without writing anything, committed once; capital accounts read by
//! their member and admins only; a cash instalment marked paid once; the ledger export; and the
//! contract's 401, 403 and 422 with nothing written.

mod common;

use common::api::{matches_schema, Answer, Caller};
use common::{coop as run_coop, Account, TestCoop};
use reqwest::Method;
use serde_json::{json, Value};

/// Every surplus and capital route with its methods.
const MONEY_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/fiscal-years", &["get", "post"]),
    ("/api/v1/fiscal-years/{year}", &["get"]),
    ("/api/v1/fiscal-years/{year}/surplus", &["put"]),
    ("/api/v1/fiscal-years/{year}/close", &["post"]),
    ("/api/v1/allocations/{year}", &["get", "post"]),
    ("/api/v1/capital", &["get"]),
    ("/api/v1/capital/{member}", &["get"]),
    ("/api/v1/capital/{member}/buy-in", &["put"]),
    ("/api/v1/capital/{member}/buy-in/payments", &["post"]),
    ("/api/v1/cash-payments", &["get"]),
    ("/api/v1/cash-payments/{id}/paid", &["post"]),
    ("/api/v1/ledger/{year}", &["get"]),
    ("/api/v1/allocation-policies", &["get", "post"]),
    ("/api/v1/allocations/{year}/notices/{member}", &["get"]),
    ("/api/v1/capital/interest", &["post"]),
    ("/api/v1/capital/redemptions", &["post"]),
    ("/api/v1/capital/{member}/departure", &["post"]),
];

/// The figures of the allocation the tests preview and commit: 1000.00, 10% kept, 20% cash,
/// by hours.
const FIGURES: &str = "surplus=1000.00&reserve=10&cash=20&basis=hours";

// ---------------------------------------------------------------------------------------------
// The API in words, on the shared client (tests/common/api.rs).

impl Caller {
    /// The journal's head: it moves with every write, so an unchanged head means nothing was
    /// written.
    async fn head(&self) -> Value {
        self.get("/api/v1/journal/head").await.ok(200)
    }

    async fn preview(&self, year: i32, query: &str) -> Answer {
        self.get(&format!("/api/v1/allocations/{year}?{query}")).await
    }

    async fn commit(&self, year: i32) -> Answer {
        self.post(&format!("/api/v1/allocations/{year}"), json!({"surplus": "1000.00", "reserve": "10", "cash": "20", "basis": "hours"})).await
    }

    async fn capital(&self, member: &str) -> Answer {
        self.get(&format!("/api/v1/capital/{member}")).await
    }

    async fn surplus(&self, year: i32, body: Value) -> Answer {
        self.put(&format!("/api/v1/fiscal-years/{year}/surplus"), body).await
    }

    async fn mark_paid(&self, id: i64, on: &str) -> Answer {
        self.post(&format!("/api/v1/cash-payments/{id}/paid"), json!({"on": on})).await
    }

    async fn notice(&self, year: i32, member: &str, query: &str) -> Answer {
        self.get(&format!("/api/v1/allocations/{year}/notices/{member}{query}")).await
    }

    async fn interest(&self, body: Value) -> Answer {
        self.post("/api/v1/capital/interest", body).await
    }

    async fn redeem(&self, body: Value) -> Answer {
        self.post("/api/v1/capital/redemptions", body).await
    }

    async fn depart(&self, member: i64, body: Value) -> Answer {
        self.post(&format!("/api/v1/capital/{member}/departure"), body).await
    }

    async fn propose_policy(&self, body: Value) -> Answer {
        self.post("/api/v1/allocation-policies", body).await
    }

    /// The collective reserve's balance.
    async fn reserve(&self) -> i64 {
        self.get("/api/v1/capital").await.ok(200)["reserve"]["balance_cents"].as_i64().unwrap()
    }
}

/// A member since 2024 (so that their 2025 hours count), added with the CLI, with a password.
fn member_since_2024(coop: &TestCoop, name: &str, email: &str) -> Account {
    let password = format!("{}-password-1", name.to_lowercase());
    let out = run_coop(
        &coop.data(),
        &["member", "add", "--name", name, "--email", email, "--state", "member", "--since", "2024-01-01", "--json", "--password-stdin"],
        Some(&format!("{password}\n")),
    );
    let doc: Value = serde_json::from_str(out.trim()).unwrap();
    Account { id: doc["id"].as_i64().unwrap(), name: name.into(), email: email.into(), password }
}

/// Dee and Eve, members since 2024, with 3 and 1 hours in 2025 (logged by the admin).
async fn with_patronage(coop: &TestCoop, ada: &Caller) -> (Account, Account) {
    with_patronage_on(coop, ada, "2025-04-07").await
}

/// Dee and Eve, members since 2024, with 3 and 1 hours on `day` (logged by the admin).
async fn with_patronage_on(coop: &TestCoop, ada: &Caller, day: &str) -> (Account, Account) {
    let dee = member_since_2024(coop, "Dee", "dee@example.org");
    let eve = member_since_2024(coop, "Eve", "eve@example.org");
    for (who, hours) in [(&dee, "3.00"), (&eve, "1.00")] {
        ada.post("/api/v1/hours", json!({"member": who.email, "date": day, "hours": hours})).await.ok(201);
    }
    (dee, eve)
}

fn member<'a>(run: &'a Value, email: &str) -> &'a Value {
    run["members"].as_array().unwrap().iter().find(|m| m["email"] == email).unwrap_or_else(|| panic!("{email} not in {run}"))
}

// ---------------------------------------------------------------------------------------------
// The document and the contract's 401.

#[tokio::test]
async fn every_money_route_is_documented_and_refuses_anonymous_callers() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let doc = anon.get("/api/v1/openapi.json").await.ok(200);
    for (path, methods) in MONEY_ROUTES {
        let item = doc["paths"].get(*path).unwrap_or_else(|| panic!("{path} is missing from the document"));
        for m in *methods {
            let op = item.get(*m).unwrap_or_else(|| panic!("{m} {path} is missing from the document"));
            assert!(op["responses"].as_object().is_some_and(|r| r.contains_key("401")), "{m} {path} documents its 401");
            assert!(op["security"].as_array().is_some_and(|s| !s.is_empty()), "{m} {path} says how to authenticate");
            assert_eq!(op["tags"], json!(["money"]), "{m} {path}");
        }
    }
    // The contract's names: `ref`, not the Rust field's.
    assert!(doc["components"]["schemas"]["CapitalEntry"]["properties"].get("ref").is_some());
    for (path, methods) in MONEY_ROUTES {
        let concrete = path.replace("{year}", "2025").replace("{member}", &coop.member.id.to_string()).replace("{id}", "1");
        for m in *methods {
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let body = matches!(*m, "post" | "put").then(|| json!({}));
            anon.send(method, &concrete, body).await.assert_error(401, None);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The allocation.

/// The preview is the contract's `coop patronage run --json` to the cent and writes nothing;
/// only an admin commits, once; the retained amounts land in the capital accounts, which a
/// member reads for themselves only.
#[tokio::test]
async fn the_preview_is_computed_to_the_cent_and_changes_nothing_then_commits_once() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let (dee, eve) = with_patronage(&coop, &ada).await;
    let dee_c = Caller::signed_in(&coop, &dee).await;
    let cleo = Caller::signed_in(&coop, &coop.candidate).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);

    let head = ada.head().await;
    // 100000 cents: 10% kept = 10000; pool 90000 by hours 3 : 1 = 67500 and 22500; 20% of each
    // in cash, 13500 and 4500; the rest retained, 54000 and 18000.
    let preview = dee_c.preview(2025, FIGURES).await.ok(200);
    matches_schema(&doc, "Allocation", &preview);
    for key in ["year", "surplus_cents", "reserve_cents", "pool_cents", "notice", "members"] {
        assert!(preview.get(key).is_some(), "the contract's {key}: {preview}");
    }
    assert_eq!((preview["year"].as_i64(), preview["surplus_cents"].as_i64()), (Some(2025), Some(100_000)));
    assert_eq!((preview["reserve_cents"].as_i64(), preview["pool_cents"].as_i64()), (Some(10_000), Some(90_000)));
    assert_eq!(preview["notice"], "qualified");
    assert_eq!(preview["committed"], false);
    assert_eq!(preview["members"].as_array().unwrap().len(), 2, "only members with patronage: {preview}");
    let d = member(&preview, "dee@example.org");
    assert_eq!(
        (d["patronage"].as_str(), d["allocation_cents"].as_i64(), d["cash_cents"].as_i64(), d["retained_cents"].as_i64()),
        (Some("3.00"), Some(67_500), Some(13_500), Some(54_000))
    );
    let e = member(&preview, "eve@example.org");
    assert_eq!((e["allocation_cents"].as_i64(), e["cash_cents"].as_i64(), e["retained_cents"].as_i64()), (Some(22_500), Some(4_500), Some(18_000)));
    matches_schema(&doc, "MemberAllocation", d);
    // One payment of all the cash on the deadline, 8 1/2 months after the year end.
    assert_eq!(preview["instalments"], json!([{"date": "2026-09-15", "cash_cents": 18_000}]));
    // A candidate reads the open books too; nobody's preview wrote anything.
    assert_eq!(cleo.preview(2025, FIGURES).await.ok(200)["members"], preview["members"]);
    assert_eq!(ada.head().await, head, "a preview changes nothing");
    assert_eq!(ada.capital(&dee.email).await.ok(200)["balance_cents"], 0);
    assert_eq!(ada.get("/api/v1/cash-payments").await.ok(200), json!([]));
    assert_eq!(ada.get("/api/v1/fiscal-years").await.ok(200), json!([]));

    // Bad figures: 422 naming the field, nothing written.
    ada.preview(2025, "surplus=1000.00&reserve=lots&cash=20&basis=hours").await.assert_error(422, Some("reserve"));
    ada.preview(2025, "surplus=1000.00&reserve=10&cash=20&basis=vibes").await.assert_error(422, Some("basis"));
    ada.preview(2025, "surplus=1000.001&reserve=10&cash=20&basis=hours").await.assert_error(422, Some("surplus"));
    ada.preview(2025, "reserve=10&cash=20&basis=hours").await.assert_error(422, Some("surplus"));
    ada.get(&format!("/api/v1/allocations/next?{FIGURES}")).await.assert_error(422, Some("year"));
    ada.post("/api/v1/allocations/2025", json!({"surplus": "1000.00", "reserve": "10", "cash": "20", "basis": "hours", "when": "now"}))
        .await
        .assert_error(422, Some("when"));
    // A year that is not over is not committed.
    ada.commit(2026).await.assert_error(409, None);
    // Only an admin commits.
    dee_c.commit(2025).await.assert_error(403, None);
    cleo.commit(2025).await.assert_error(403, None);
    assert_eq!(ada.head().await, head, "refusals write nothing");

    let committed = ada.commit(2025).await.ok(201);
    matches_schema(&doc, "Allocation", &committed);
    assert_eq!(committed["committed"], true);
    assert!(committed["sealed_hash"].as_str().is_some_and(|h| h.len() == 64), "{committed}");
    assert_eq!(committed["members"], preview["members"], "the commit is what the preview showed");
    // Once: a second commit is a conflict.
    ada.commit(2025).await.assert_error(409, None);
    // Reading the year now shows the sealed allocation, whatever the figures asked.
    let sealed = dee_c.preview(2025, "surplus=5.00&reserve=50&cash=0&basis=hours").await.ok(200);
    assert_eq!((sealed["committed"].as_bool(), sealed["surplus_cents"].as_i64()), (Some(true), Some(100_000)));
    let years = ada.get("/api/v1/fiscal-years").await.ok(200);
    assert_eq!((years[0]["year"].as_i64(), years[0]["status"].as_str(), years[0]["committed"].as_bool()), (Some(2025), Some("closed"), Some(true)));

    // Capital accounts: Dee reads her own (by id or email), not Eve's; an admin reads anyone's.
    let own = dee_c.capital(&dee.id.to_string()).await.ok(200);
    matches_schema(&doc, "CapitalAccount", &own);
    assert_eq!(own["balance_cents"], 54_000);
    assert_eq!(own["entries"], json!([{"date": "2025-12-31", "kind": "allocation", "amount_cents": 54_000, "ref": "allocation:2025", "fiscal_year": 2025}]));
    assert_eq!(dee_c.capital(&dee.email).await.ok(200)["balance_cents"], 54_000);
    dee_c.capital(&eve.id.to_string()).await.assert_error(403, None);
    dee_c.capital(&eve.email).await.assert_error(403, None);
    cleo.capital(&dee.email).await.assert_error(403, None);
    assert_eq!(ada.capital(&eve.email).await.ok(200)["balance_cents"], 18_000);
    ada.capital("nobody@example.org").await.assert_error(404, None);
    ada.capital("999999").await.assert_error(404, None);
    ada.capital("0").await.assert_error(422, Some("member"));
    // The overview: a member sees their own account, an admin all; the equity check holds.
    let overview = ada.get("/api/v1/capital").await.ok(200);
    matches_schema(&doc, "CapitalOverview", &overview);
    assert_eq!(overview["accounts"].as_array().unwrap().len(), 2);
    assert_eq!((overview["reserve"]["balance_cents"].as_i64(), overview["equity"]["balanced"].as_bool()), (Some(10_000), Some(true)));
    let mine = dee_c.get("/api/v1/capital").await.ok(200);
    assert_eq!(mine["accounts"], json!([{"member_id": dee.id, "email": "dee@example.org", "balance_cents": 54_000}]));
}

// ---------------------------------------------------------------------------------------------
// Cash payments.

/// A committed year's cash instalments: a member sees their own; an admin marks one paid, once,
/// not on a day still to come; the ledger books it on that day.
#[tokio::test]
async fn a_cash_instalment_is_marked_paid_once_by_an_admin() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let (dee, eve) = with_patronage(&coop, &ada).await;
    let dee_c = Caller::signed_in(&coop, &dee).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    ada.commit(2025).await.ok(201);

    let all = ada.get("/api/v1/cash-payments?year=2025").await.ok(200);
    let rows: Vec<(String, i64, Value)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["email"].as_str().unwrap().to_string(), p["payment_cents"].as_i64().unwrap(), p["paid_on"].clone()))
        .collect();
    assert_eq!(rows, vec![("dee@example.org".to_string(), 13_500, Value::Null), ("eve@example.org".to_string(), 4_500, Value::Null)]);
    matches_schema(&doc, "CashPayment", &all[0]);
    assert_eq!(ada.get("/api/v1/cash-payments?year=2024").await.ok(200), json!([]));
    ada.get("/api/v1/cash-payments?year=soon").await.assert_error(422, Some("year"));
    let own = dee_c.get("/api/v1/cash-payments").await.ok(200);
    assert_eq!(own.as_array().unwrap().iter().map(|p| p["member_id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![dee.id]);
    let dee_payment = all[0]["id"].as_i64().unwrap();

    let head = ada.head().await;
    dee_c.mark_paid(dee_payment, "2026-03-01").await.assert_error(403, None);
    ada.mark_paid(dee_payment, "2099-01-01").await.assert_error(422, Some("on"));
    ada.mark_paid(dee_payment, "March 1st").await.assert_error(422, Some("on"));
    ada.post(&format!("/api/v1/cash-payments/{dee_payment}/paid"), json!({"on": "2026-03-01", "amount": "1.00"})).await.assert_error(422, Some("amount"));
    ada.post(&format!("/api/v1/cash-payments/{dee_payment}/paid"), json!({})).await.assert_error(422, Some("on"));
    ada.mark_paid(999_999, "2026-03-01").await.assert_error(404, None);
    assert_eq!(ada.head().await, head, "refusals write nothing");

    let paid = ada.mark_paid(dee_payment, "2026-03-01").await.ok(200);
    matches_schema(&doc, "CashPayment", &paid);
    assert_eq!((paid["paid_on"].as_str(), paid["payment_cents"].as_i64()), (Some("2026-03-01"), Some(13_500)));
    assert_ne!(ada.head().await, head, "journaled");
    let journal = ada.get("/api/v1/journal?limit=1").await.ok(200);
    assert_eq!(journal[0]["action"], "cash_payment.paid", "{journal}");
    // Once.
    ada.mark_paid(dee_payment, "2026-03-02").await.assert_error(409, None);
    let payments = dee_c.capital(&dee.email).await.ok(200)["payments"].clone();
    assert_eq!(payments[0]["paid_on"], "2026-03-01");
    assert_eq!(ada.capital(&eve.email).await.ok(200)["payments"][0]["paid_on"], Value::Null);

    // The ledger: Dee's cash on the day it was paid, Eve's still on the day it is due.
    let ledger = dee_c.get("/api/v1/ledger/2025?format=hledger").await;
    assert_eq!(ledger.status, 200, "{}", ledger.text);
    assert!(ledger.header("content-type").is_some_and(|c| c.starts_with("text/plain")));
    assert!(ledger.text.contains("2026-03-01 (cash:2025) Patronage cash of 2025 paid"), "{}", ledger.text);
    assert!(ledger.text.contains("2026-09-15 (cash:2025) Patronage cash of 2025 due"), "{}", ledger.text);
    let csv = ada.get("/api/v1/ledger/2025?format=csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").is_some_and(|c| c.starts_with("text/csv")));
    ada.get("/api/v1/ledger/2025?format=quicken").await.assert_error(422, Some("format"));
}

// ---------------------------------------------------------------------------------------------
// Fiscal years and the surplus.

/// Admins open a year, enter its surplus (an amount, or the income statement all or nothing,
/// a bad line named) and close it; members may read but not write.
#[tokio::test]
async fn fiscal_years_take_a_surplus_or_an_income_statement_and_close() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    let head = ada.head().await;
    ben.post("/api/v1/fiscal-years", json!({"year": 2024})).await.assert_error(403, None);
    ada.post("/api/v1/fiscal-years", json!({"year": 1800})).await.assert_error(422, Some("year"));
    ada.post("/api/v1/fiscal-years", json!({"year": "twenty"})).await.assert_error(422, Some("year"));
    assert_eq!(ada.head().await, head);

    let opened = ada.post("/api/v1/fiscal-years", json!({"year": 2024})).await.ok(201);
    matches_schema(&doc, "FiscalYear", &opened);
    assert_eq!(opened, json!({"year": 2024, "starts": "2024-01-01", "ends": "2024-12-31", "status": "open", "surplus_cents": null, "committed": false}));
    ada.post("/api/v1/fiscal-years", json!({"year": 2024})).await.assert_error(409, None);
    assert_eq!(ben.get("/api/v1/fiscal-years/2024").await.ok(200), opened);
    ben.get("/api/v1/fiscal-years/2023").await.assert_error(404, None);

    // Bad input names the field and writes nothing.
    let head = ada.head().await;
    ben.surplus(2024, json!({"amount": "100.00"})).await.assert_error(403, None);
    ada.surplus(2024, json!({"amount": "a lot"})).await.assert_error(422, Some("amount"));
    ada.surplus(2024, json!({})).await.assert_error(422, Some("amount"));
    ada.surplus(2024, json!({"amount": "1.00", "csv": "account,amount\nSales,1\n"})).await.assert_error(422, Some("amount"));
    ada.surplus(2024, json!({"amount": "1.00", "note": "x"})).await.assert_error(422, Some("note"));
    let bad = "account,type,amount\nSales,income,\"12,000.00\"\nRent,expense,four thousand\n";
    let message = ada.surplus(2024, json!({"csv": bad})).await.error_text(422, Some("csv"));
    assert!(message.starts_with("line 3: "), "{message}");
    assert_eq!(ada.head().await, head);
    assert_eq!(ada.get("/api/v1/fiscal-years/2024").await.ok(200)["surplus_cents"], Value::Null);

    // An amount, then the income statement: 12,000.00 + 500.25 - 4,000.00 - 99.99 = 8,400.26.
    let entered = ada.surplus(2024, json!({"amount": "-250.50"})).await.ok(200);
    matches_schema(&doc, "SurplusEntered", &entered);
    assert_eq!((entered["fiscal_year"]["surplus_cents"].as_i64(), &entered["imported"]), (Some(-25_050), &Value::Null));
    let good = "account,type,amount\nSales,income,\"12,000.00\"\nGrants,income,500.25\nRent,expense,\"4,000.00\"\nTools,expense,99.99\n";
    let imported = ada.surplus(2024, json!({"csv": good})).await.ok(200);
    assert_eq!(imported["fiscal_year"]["surplus_cents"], 840_026);
    assert_eq!(imported["imported"], json!({"net_cents": 840_026, "lines": 4, "format": "csv"}));

    // Closing: once, then the surplus no longer changes.
    ben.post("/api/v1/fiscal-years/2024/close", json!({})).await.assert_error(403, None);
    let closed = ada.post("/api/v1/fiscal-years/2024/close", json!({})).await.ok(200);
    assert_eq!((closed["status"].as_str(), closed["surplus_cents"].as_i64()), (Some("closed"), Some(840_026)));
    ada.post("/api/v1/fiscal-years/2024/close", json!({})).await.assert_error(409, None);
    ada.surplus(2024, json!({"amount": "1.00"})).await.assert_error(409, None);
    ada.post("/api/v1/fiscal-years/2023/close", json!({})).await.assert_error(404, None);
    // The year still running is not closed.
    ada.surplus(2026, json!({"amount": "1.00"})).await.ok(200);
    ada.post("/api/v1/fiscal-years/2026/close", json!({})).await.assert_error(409, None);
    assert_eq!(ben.get("/api/v1/allocation-policies").await.ok(200), json!([]));
}

/// Buy-ins through the API: an admin sets the plan and records an instalment; the member sees
/// it in their account.
#[tokio::test]
async fn a_buy_in_is_planned_and_paid_by_an_admin() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let path = format!("/api/v1/capital/{}/buy-in", coop.member.email);
    ben.put(&path, json!({"total": "3000.00", "instalment": "50.00"})).await.assert_error(403, None);
    ada.put(&path, json!({"total": "3000.00", "instalment": "fifty"})).await.assert_error(422, Some("instalment"));
    ada.put(&path, json!({"total": "3000.00", "instalment": "5000.00", "starts": "2026-01-01"})).await.assert_error(422, Some("instalment"));
    let planned = ada.put(&path, json!({"total": "3000.00", "instalment": "50.00", "starts": "2026-01-15"})).await.ok(200);
    assert_eq!(planned["buy_in"]["instalments_left"], 60);
    let paid = ada.post(&format!("{path}/payments"), json!({"amount": "50.00", "on": "2026-01-15"})).await.ok(201);
    assert_eq!((paid["balance_cents"].as_i64(), paid["buy_in"]["remaining_cents"].as_i64()), (Some(5_000), Some(295_000)));
    ada.post(&format!("{path}/payments"), json!({"amount": "5000.00", "on": "2026-01-15"})).await.assert_error(422, Some("amount"));
    let account = ben.capital(&coop.member.id.to_string()).await.ok(200);
    assert_eq!(account["entries"][0]["kind"], "buy_in");
    assert_eq!(account["balance_cents"], 5_000);
}

// ---------------------------------------------------------------------------------------------
// Notices of allocation.

/// A member reads their own written notice of a committed year, in HTML or PDF, with their
/// amounts; not someone else's (an admin reads anyone's); nothing before the commit.
#[tokio::test]
async fn a_member_reads_their_own_notice_of_allocation_in_html_or_pdf() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let (dee, eve) = with_patronage(&coop, &ada).await;
    let dee_c = Caller::signed_in(&coop, &dee).await;
    let cleo = Caller::signed_in(&coop, &coop.candidate).await;
    // Not committed yet: there is no notice.
    dee_c.notice(2025, &dee.id.to_string(), "").await.assert_error(404, None);
    ada.commit(2025).await.ok(201);

    // Dee's: 675.00 allocated, 135.00 in cash, 540.00 retained; box 1 the whole allocation.
    let own = dee_c.notice(2025, &dee.id.to_string(), "").await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert!(own.header("content-type").is_some_and(|c| c.starts_with("text/html")), "{:?}", own.header("content-type"));
    assert!(own.text.starts_with("<!DOCTYPE html>"), "{}", own.text);
    for needle in ["Qualified written notice of allocation, fiscal year 2025", "dee@example.org", "675.00", "135.00", "540.00", "2026-09-15"] {
        assert!(own.text.contains(needle), "{needle} in {}", own.text);
    }
    assert!(!own.text.contains("225.00"), "not Eve's figures: {}", own.text);
    assert_eq!(dee_c.notice(2025, &dee.email, "?format=html").await.text, own.text, "by email too");
    let pdf = dee_c.notice(2025, &dee.email, "?format=pdf").await;
    assert_eq!(pdf.status, 200, "{}", pdf.text);
    assert_eq!(pdf.header("content-type").as_deref(), Some("application/pdf"));
    assert!(pdf.text.starts_with("%PDF"), "{:?}", pdf.text.chars().take(20).collect::<String>());

    // Someone else's: 403 for a member or a candidate; an admin reads anyone's.
    dee_c.notice(2025, &eve.id.to_string(), "").await.assert_error(403, None);
    dee_c.notice(2025, &eve.email, "?format=pdf").await.assert_error(403, None);
    cleo.notice(2025, &dee.email, "").await.assert_error(403, None);
    let eves = ada.notice(2025, &eve.email, "").await;
    assert_eq!(eves.status, 200, "{}", eves.text);
    assert!(eves.text.contains("225.00") && eves.text.contains("45.00") && eves.text.contains("180.00"), "{}", eves.text);

    // A year without a commit, a member without a share, nobody: 404. Bad input: 422 naming it.
    ada.notice(2024, &dee.email, "").await.assert_error(404, None);
    ada.notice(2025, &coop.member.email, "").await.assert_error(404, None);
    ada.notice(2025, "nobody@example.org", "").await.assert_error(404, None);
    ada.notice(2025, &dee.email, "?format=docx").await.assert_error(422, Some("format"));
    ada.notice(2025, "0", "").await.assert_error(422, Some("member"));
    ada.get(&format!("/api/v1/allocations/next/notices/{}", dee.id)).await.assert_error(422, Some("year"));
}

// ---------------------------------------------------------------------------------------------
// Interest, redemptions and departures.

/// 2024 committed with 90% kept: Dee 75.00 (15.00 cash, 60.00 retained), Eve 25.00 (5.00, 20.00),
/// the reserve 900.00. Interest at 5% on 2025's balances, Eve's departure repaid in two
/// instalments with interest, and the revolving fund's redemption refused by the solvency
/// guard (nothing written) until the reserve's floor allows it.
#[tokio::test]
async fn interest_redemptions_and_a_departure_are_posted_to_the_cent_and_the_solvency_guard_refuses_with_409() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let (dee, eve) = with_patronage_on(&coop, &ada, "2024-04-08").await;
    let dee_c = Caller::signed_in(&coop, &dee).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    let commit = json!({"surplus": "1000.00", "reserve": "90", "cash": "20", "basis": "hours"});
    let committed = ada.post("/api/v1/allocations/2024", commit).await.ok(201);
    assert_eq!(
        (member(&committed, "dee@example.org")["retained_cents"].as_i64(), member(&committed, "eve@example.org")["retained_cents"].as_i64()),
        (Some(6_000), Some(2_000))
    );
    assert_eq!(ada.reserve().await, 90_000);

    // Interest: refusals first, nothing written.
    let head = ada.head().await;
    dee_c.interest(json!({"year": 2025, "rate": "5"})).await.assert_error(403, None);
    ada.interest(json!({"year": 2025, "rate": "lots"})).await.assert_error(422, Some("rate"));
    ada.interest(json!({"year": 2025})).await.assert_error(422, Some("rate"));
    ada.interest(json!({"year": 1800, "rate": "5"})).await.assert_error(422, Some("year"));
    ada.interest(json!({"rate": "5"})).await.assert_error(422, Some("year"));
    ada.interest(json!({"year": 2025, "rate": "5", "compound": true})).await.assert_error(422, Some("compound"));
    ada.interest(json!({"year": 2026, "rate": "5"})).await.assert_error(409, None);
    assert_eq!(ada.head().await, head, "refusals write nothing");
    // 5% of a balance held all year: Dee 60.00 -> 3.00, Eve 20.00 -> 1.00, from the reserve.
    let posted = ada.interest(json!({"year": 2025, "rate": "5%"})).await.ok(201);
    matches_schema(&doc, "CapitalPosting", &posted);
    matches_schema(&doc, "PostedMember", &posted["members"][0]);
    assert_eq!(
        posted,
        json!({"ref": "interest:2025", "date": "2025-12-31", "total_cents": 400, "members": [
            {"member_id": dee.id, "email": "dee@example.org", "amount_cents": 300},
            {"member_id": eve.id, "email": "eve@example.org", "amount_cents": 100}]})
    );
    assert_eq!(ada.reserve().await, 89_600);
    assert_eq!(dee_c.capital(&dee.email).await.ok(200)["balance_cents"], 6_300);
    ada.interest(json!({"year": 2025, "rate": "5"})).await.assert_error(409, None);

    // Eve's departure: not before she is departed; then her 21.00 is repaid in two instalments
    // a year over one year at 4%: 10.50 + 0.42 (2% of 21.00), then 10.50 + 0.21 (2% of 10.50).
    let head = ada.head().await;
    ada.depart(eve.id, json!({"on": "2026-01-31", "years": 1, "per_year": 2, "rate": "4"})).await.assert_error(422, Some("on"));
    ada.post(&format!("/api/v1/members/{}/state", eve.id), json!({"state": "departed", "on": "2026-01-31"})).await.ok(200);
    let head_after_state = ada.head().await;
    assert_ne!(head_after_state, head);
    dee_c.depart(eve.id, json!({"on": "2026-01-31", "years": 1, "per_year": 2, "rate": "4"})).await.assert_error(403, None);
    ada.depart(eve.id, json!({"on": "2026-01-31", "years": 1, "per_year": 5})).await.assert_error(422, Some("years"));
    ada.depart(eve.id, json!({"on": "the end of January"})).await.assert_error(422, Some("on"));
    ada.depart(eve.id, json!({"on": "2026-01-31", "rate": "a bit"})).await.assert_error(422, Some("rate"));
    ada.depart(eve.id, json!({"on": "2026-01-31", "years": -1})).await.assert_error(422, Some("years"));
    ada.depart(999_999, json!({"on": "2026-01-31"})).await.assert_error(422, Some("on"));
    ada.post("/api/v1/capital/nobody@example.org/departure", json!({"on": "2026-01-31"})).await.assert_error(404, None);
    assert_eq!(ada.head().await, head_after_state, "refusals write nothing");
    let departed = ada.depart(eve.id, json!({"on": "2026-01-31", "years": 1, "per_year": 2, "rate": "4"})).await.ok(201);
    matches_schema(&doc, "CapitalAccount", &departed);
    assert_eq!(departed["balance_cents"], 0);
    let last = departed["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last, json!({"date": "2026-01-31", "kind": "departure", "amount_cents": -2_100, "ref": format!("departure:{}", eve.id), "fiscal_year": null}));
    let schedule: Vec<(String, i64, i64, i64)> = departed["payments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "repayment")
        .map(|p| {
            (
                p["due"].as_str().unwrap().to_string(),
                p["principal_cents"].as_i64().unwrap(),
                p["interest_cents"].as_i64().unwrap(),
                p["payment_cents"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(schedule, vec![("2026-07-31".to_string(), 1_050, 42, 1_092), ("2027-01-31".to_string(), 1_050, 21, 1_071)]);
    ada.depart(eve.id, json!({"on": "2026-01-31"})).await.assert_error(409, None);

    // The revolving fund: Dee's 60.00 of 2024 (Eve's account is already a debt). With a floor
    // of 840.00 the reserve of 896.00 cannot carry it: 409, nothing written.
    let head = ada.head().await;
    dee_c.redeem(json!({"year": 2025, "after": 1, "on": "2026-02-01"})).await.assert_error(403, None);
    ada.redeem(json!({"year": 2025, "on": "2026-02-01"})).await.assert_error(422, Some("after"));
    ada.redeem(json!({"year": 2025, "after": 1, "on": "soon"})).await.assert_error(422, Some("on"));
    ada.redeem(json!({"year": 2025, "after": 1, "on": "2026-02-01", "min_reserve": "plenty"})).await.assert_error(422, Some("min_reserve"));
    ada.redeem(json!({"year": 2025, "after": "one", "on": "2026-02-01"})).await.assert_error(422, Some("after"));
    ada.redeem(json!({"year": 99999, "after": 1, "on": "2026-02-01"})).await.assert_error(422, Some("year"));
    let refused = ada.redeem(json!({"year": 2025, "after": 1, "on": "2026-02-01", "min_reserve": "840.00"})).await.error_text(409, None);
    assert!(refused.contains("60.00") && refused.contains("836.00") && refused.contains("840.00") && refused.contains("cannot carry"), "{refused}");
    assert_eq!(ada.head().await, head, "a redemption refused by the solvency guard writes nothing");
    assert_eq!(dee_c.capital(&dee.email).await.ok(200)["balance_cents"], 6_300);
    // A floor it can keep: exactly 836.00 left.
    let redeemed = ada.redeem(json!({"year": 2025, "after": 1, "on": "2026-02-01", "min_reserve": "836.00"})).await.ok(201);
    matches_schema(&doc, "CapitalPosting", &redeemed);
    assert_eq!(
        redeemed,
        json!({"ref": "redemption:2025", "date": "2026-02-01", "total_cents": -6_000, "members": [{"member_id": dee.id, "email": "dee@example.org", "amount_cents": -6_000}]})
    );
    let account = dee_c.capital(&dee.email).await.ok(200);
    assert_eq!(account["balance_cents"], 300, "the interest stays: {account}");
    assert_eq!(account["entries"].as_array().unwrap().last().unwrap()["kind"], "redemption");
    ada.redeem(json!({"year": 2025, "after": 1, "on": "2026-02-01", "min_reserve": "0"})).await.assert_error(409, None);
    assert_eq!(ada.get("/api/v1/capital").await.ok(200)["equity"]["balanced"], true);
}

// ---------------------------------------------------------------------------------------------
// Allocation policies.

/// An admin proposes a policy for a year to come: 201 with the version pending, which governs
/// nothing until its proposal passes. Members may not propose; bad keys are named.
#[tokio::test]
async fn a_proposed_policy_is_not_in_force_until_its_proposal_passes() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    let policy = json!({"reserve": "25", "cash": "20", "basis": "hours", "interest": "5", "revolve_years": 5, "min_reserve": "5000.00", "instalments": ["03-15", "09-15"]});
    let request = |year: i64, policy: Value| json!({"year": year, "class": "ordinary", "policy": policy});
    // Without a class to decide it, nothing can be proposed.
    let head = ada.head().await;
    ada.propose_policy(json!({"year": 2090, "policy": policy})).await.assert_error(409, None);
    let majority = json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null});
    ada.put("/api/v1/classes/ordinary", json!({"rule": majority})).await.ok(200);

    let head_with_class = ada.head().await;
    assert_ne!(head_with_class, head);
    ben.propose_policy(request(2090, policy.clone())).await.assert_error(403, None);
    let with = |key: &str, value: Value| {
        let mut p = policy.clone();
        p[key] = value;
        request(2090, p)
    };
    ada.propose_policy(with("reserve", json!("lots"))).await.assert_error(422, Some("policy.reserve"));
    ada.propose_policy(with("cash", json!("101"))).await.assert_error(422, Some("policy.cash"));
    ada.propose_policy(with("basis", json!("vibes"))).await.assert_error(422, Some("policy.basis"));
    ada.propose_policy(with("min_reserve", json!("5,000"))).await.assert_error(422, Some("policy.min_reserve"));
    ada.propose_policy(with("instalments", json!(["13-45"]))).await.assert_error(422, Some("policy.instalments"));
    ada.propose_policy(with("community", json!("90"))).await.assert_error(422, Some("policy"));
    ada.propose_policy(with("repayments_per_year", json!(5))).await.assert_error(422, Some("policy"));
    ada.propose_policy(with("bonus", json!("10"))).await.assert_error(422, Some("policy.bonus"));
    ada.propose_policy(request(2090, json!({"reserve": "25", "basis": "hours"}))).await.assert_error(422, Some("policy.cash"));
    ada.propose_policy(request(2020, policy.clone())).await.assert_error(422, Some("year"));
    ada.propose_policy(json!({"year": 2090, "policy": policy, "closes_at": "next week"})).await.assert_error(422, Some("closes_at"));
    ada.propose_policy(json!({"year": 2090, "policy": policy, "class": "nonesuch"})).await.assert_error(422, Some("class"));
    ada.propose_policy(json!({"year": 2090, "policy": policy, "note": "x"})).await.assert_error(422, Some("note"));
    assert_eq!(ada.head().await, head_with_class, "refusals write nothing");
    assert_eq!(ada.get("/api/v1/allocation-policies").await.ok(200), json!([]));

    let proposed = ada.propose_policy(request(2090, policy.clone())).await.ok(201);
    matches_schema(&doc, "PolicyVersion", &proposed);
    matches_schema(&doc, "PolicyDoc", &proposed["policy"]);
    assert_eq!(
        (proposed["status"].as_str(), proposed["effective_from"].as_str(), &proposed["adopted_at"]),
        (Some("pending"), Some("2090-01-01"), &Value::Null)
    );
    assert_eq!(
        proposed["policy"],
        json!({"reserve": "25", "community": "0", "cash": "20", "basis": "hours", "counts_candidates": false, "loss_reserve_share": "25",
               "instalments": ["03-15", "09-15"], "interest": "5", "revolve_years": 5, "min_reserve_cents": 500_000,
               "repayment_years": 3, "repayments_per_year": 12})
    );
    let proposal = proposed["proposal_id"].as_i64().unwrap();
    let opened = ben.get(&format!("/api/v1/proposals/{proposal}")).await.ok(200);
    assert_eq!(opened["status"], "open", "{opened}");
    assert_eq!(ben.get("/api/v1/allocation-policies").await.ok(200), json!([proposed]));
    // Not in force: a preview of 2090 still needs every figure.
    ada.preview(2090, "surplus=1000.00").await.assert_error(422, Some("reserve"));

    // The proposal passes: the version is adopted and governs 2090 (no figures are asked for).
    ada.post(&format!("/api/v1/proposals/{proposal}/votes"), json!({"choice": "yes"})).await.ok(200);
    ada.post(&format!("/api/v1/proposals/{proposal}/close"), json!({})).await.ok(200);
    let adopted = ben.get("/api/v1/allocation-policies").await.ok(200);
    assert_eq!((adopted[0]["status"].as_str(), adopted[0]["version"].as_i64()), (Some("adopted"), proposed["version"].as_i64()));
    assert!(adopted[0]["adopted_at"].is_string(), "{adopted}");
    // Nobody has hours in 2090, but the split is the adopted one's: 25% of 1000.00 kept, 750.00 to share.
    let message = ada.preview(2090, "surplus=1000.00").await.error_text(409, None);
    assert!(message.contains("750.00 to share"), "{message}");
}
