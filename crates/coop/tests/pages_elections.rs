//! Black-box tests of the election pages: the real `coop` binary, served on a free port and
//! driven with reqwest like a browser without JavaScript (a cookie store, forms posted as
//! `application/x-www-form-urlencoded`, redirects followed by hand so each can be checked).
//!
//! Elections are created, ranked, opened and closed through the pages themselves.

mod common;

use common::browser::{attr_after, Browser, Page};
use common::{add_member, coop, TestCoop};

/// The head hash that `coop journal verify` prints ("ok <entries> <head>").
fn cli_head(c: &TestCoop) -> String {
    let out = coop(&c.data(), &["journal", "verify"], None);
    out.split_whitespace().nth(2).unwrap_or_else(|| panic!("no head in {out:?}")).to_string()
}

/// The receipt code in the one-time message after a ballot.
fn receipt_in(page: &Page) -> String {
    let text = page.text();
    let at = text.find("Your receipt code: ").unwrap_or_else(|| panic!("no receipt in {}", page.html)) + "Your receipt code: ".len();
    let code: String = text[at..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(code.len(), 32, "a 128-bit code: {code:?}");
    code
}

/// The text of the cell in the rounds table for `candidate` in round `round` (1-based).
fn round_cell(page: &Page, candidate: &str, round: usize) -> String {
    let table = page.element("rounds", "table");
    let row_start = table.find(&format!(r#"<th scope="row">{candidate}</th>"#)).unwrap_or_else(|| panic!("no row {candidate} in {table}"));
    let row = &table[row_start..row_start + table[row_start..].find("</tr>").unwrap()];
    let cell = row.split("<td").nth(round).unwrap_or_else(|| panic!("no round {round} in {row}"));
    let inner = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
    // Drop the tags of the mark, keep its words.
    let mut out = String::new();
    let mut in_tag = false;
    for ch in inner.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_member_ranks_candidates_through_the_numbered_form() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;

    // The Decisions area links to its Elections sub-page.
    ada.get("/decisions").await.assert_contains(r#"href="/decisions/elections""#);
    let (path, page) = ada.new_election("Board 2026", "2", "stv", "Ana\r\nBo\r\n\r\n Cy \r\n").await;
    page.assert_contains("The election was created and is open for voting.")
        .assert_contains("Single transferable vote (STV)")
        .assert_contains("Counted by the Scottish STV rules")
        .assert_contains("2 seats to fill.")
        .assert_contains("the candidate listed last is excluded first")
        .assert_contains("close-form");
    let candidates = page.element("candidate-list", "ol");
    assert!(candidates.contains("<li>Ana</li>") && candidates.contains("<li>Bo</li>") && candidates.contains("<li>Cy</li>"), "{candidates}");

    // Ben, a plain member, sees one numbered choice per candidate, and no close button.
    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    ben.get("/decisions/elections").await.assert_contains(&format!(r#"href="{path}">Board 2026</a>"#)).assert_lacks("new-election-form");
    let form = ben.get(&path).await;
    form.assert_contains("You have not voted yet.").assert_lacks("close-form").assert_lacks("ballot-receipt");
    for (i, name) in ["Ana", "Bo", "Cy"].iter().enumerate() {
        assert!(form.html.contains(&format!(r#"<label for="rank-{i}">{name}</label>"#)), "{name}");
        assert!(form.html.contains(&format!(r#"<select id="rank-{i}" name="rank-{i}">"#)), "{name}");
    }
    let select = form.element("rank-0", "select");
    for option in ["Not ranked", "1st choice", "2nd choice", "3rd choice"] {
        assert!(select.contains(option), "{option} in {select}");
    }
    assert!(!select.contains("4th choice"), "as many numbers as candidates: {select}");

    // Mistakes are answered 422 next to the form, which keeps what was chosen.
    let head = cli_head(&coop);
    let twice = ben.rank(&path, &["1", "1", "2"], None).await;
    twice.assert_status(422);
    let error = twice.element("ballot-error", "div");
    assert!(error.contains("You gave the number 1 to more than one candidate (Ana, Bo)"), "{error}");
    assert!(twice.html.contains(r#"<option value="2" selected>"#), "the form is drawn again as sent");
    let gap = ben.rank(&path, &["1", "", "3"], None).await;
    gap.assert_status(422);
    assert!(gap.element("ballot-error", "div").contains("no candidate has the number 2"));
    ben.rank(&path, &["", "", ""], None).await.assert_status(422).assert_contains("Rank at least one candidate");
    ben.rank(&path, &["9", "", ""], None).await.assert_status(422).assert_contains("Choose a value from the list.");
    // Without the form token nothing is read at all.
    ben.post(&format!("{path}/ballot"), &[("rank-0", "1")]).await.assert_status(403).assert_contains("The form expired");
    assert_eq!(cli_head(&coop), head, "a refused ballot writes nothing");

    // A good ranking: Bo first, Ana second, Cy not ranked.
    let cast = ben.rank(&path, &["2", "1", ""], None).await;
    assert_eq!(cast.location(), path);
    let shown = ben.follow(&cast).await;
    shown.assert_contains("Your ballot was recorded.").assert_contains("shown only this once");
    let receipt = receipt_in(&shown);
    shown.assert_contains("You have voted in this election.");
    assert!(shown.element("election-turnout", "dd").contains("1 of 2"));
    // Once: the next page no longer has the code, but still says Ben voted.
    let again = ben.get(&path).await;
    again
        .assert_lacks(&receipt)
        .assert_lacks("Your ballot was recorded.")
        .assert_contains("You have voted in this election.")
        .assert_contains("ballot-receipt");

    // A second ballot needs the receipt; with it, the ballot is replaced.
    let no_receipt = ben.rank(&path, &["1", "", ""], None).await;
    no_receipt.assert_status(409).assert_contains("change a ballot with its receipt code").assert_lacks(&receipt);
    let wrong = ben.rank(&path, &["1", "", ""], Some("not-a-receipt")).await;
    wrong.assert_status(422).assert_contains("no ballot in this election has that receipt").assert_lacks("not-a-receipt");
    let changed = ben.rank(&path, &["1", "2", "3"], Some(&receipt)).await;
    ben.follow(&changed).await.assert_contains("Your ballot was changed.").assert_lacks(&receipt);

    // The candidate Cleo is not admitted (members only) and is told so next to the form.
    let cleo = Browser::new(&coop, None);
    cleo.sign_in_and_reload(&coop.candidate).await;
    let refused = cleo.rank(&path, &["1", "", ""], None).await;
    refused.assert_status(403).assert_contains("You cannot vote in this election.");
    assert!(refused.element("ballot-error", "div").contains("may not vote in election"));
}

#[tokio::test]
async fn after_the_close_the_page_shows_the_rounds_the_ballots_and_the_blt_file() {
    let coop = TestCoop::start();
    let dee = add_member(&coop.data(), "Dee Dough", "dee@example.org", "member", &[], Some("dee-password-1"));
    let eve = add_member(&coop.data(), "Eve Oven", "eve@example.org", "member", &[], Some("eve-password-1"));
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    let (path, _) = ada.new_election("Board 2026", "2", "stv", "Ana\nBo\nCy").await;

    // Four ballots, two seats: quota floor(4/3)+1 = 2. Ana 3 is elected in round 1; her
    // surplus of 1 passes on at 0.33333 a paper (Bo 0.66666, Cy 1.33333); Bo is excluded in
    // round 3 and his papers have no further choice; Cy takes the last seat.
    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    let cast = ben.rank(&path, &["1", "2", ""], None).await;
    let receipt = receipt_in(&ben.follow(&cast).await);
    ada.follow(&ada.rank(&path, &["1", "2", ""], None).await).await;
    for (who, ranks) in [(&dee, ["1", "", "2"]), (&eve, ["", "", "1"])] {
        let b = Browser::new(&coop, None);
        b.sign_in_and_reload(who).await;
        assert_eq!(b.rank(&path, &ranks, None).await.status, 303);
    }

    // Only the secretary or an admin closes; a plain member has no button and is refused.
    let csrf = ben.get(&path).await.csrf();
    ben.post(&format!("{path}/close"), &[("csrf_token", &csrf)]).await.assert_status(403);
    let csrf = ada.get(&path).await.csrf();
    let closed = ada.post(&format!("{path}/close"), &[("csrf_token", &csrf)]).await;
    assert_eq!(closed.location(), format!("{path}#results"));
    let page = ada.follow(&closed).await;
    page.assert_contains("Voting was closed and the ballots counted.").assert_contains("Counted").assert_lacks("close-form").assert_lacks("ballot-form");

    let winners = page.element("winners", "ol");
    let (a, c) = (winners.find("Ana").expect("Ana won"), winners.find("Cy").expect("Cy won"));
    assert!(a < c && !winners.contains("Bo"), "{winners}");
    assert!(winners.contains("reached the quota") && winners.contains("as many candidates left as seats"), "{winners}");
    page.assert_contains("Quota: 2 votes (the Droop quota: 4 valid ballots divided by 2 seats plus one, rounded down, plus one).");

    // Rows are candidates, columns rounds; the elected and excluded are marked in words.
    let table = page.element("rounds", "table");
    for header in ["Round 1", "first count", "Round 2", "surplus of Ana (1) transferred", "Round 3", "Bo excluded"] {
        assert!(table.contains(header), "{header} in {table}");
    }
    assert_eq!(round_cell(&page, "Ana", 1), "3 elected");
    assert_eq!(round_cell(&page, "Ana", 2), "2");
    assert_eq!(round_cell(&page, "Bo", 1), "0");
    assert_eq!(round_cell(&page, "Bo", 2), "0.66666");
    assert_eq!(round_cell(&page, "Bo", 3), "0 excluded");
    assert_eq!(round_cell(&page, "Cy", 2), "1.33333");
    assert_eq!(round_cell(&page, "Cy", 3), "1.33333 elected");
    let footer = &table[table.find("<tfoot>").expect("a footer")..];
    assert!(footer.contains("Not transferable") && footer.contains("0.66666") && footer.contains("Lost to rounding") && footer.contains("0.00001"), "{footer}");
    assert!(!table.contains("<th>"), "every header cell has a scope");
    let transfers = page.element("transfers", "ul");
    for needle in ["Round 2: ", "2 ballots from Ana to Bo, worth 0.66666 votes", "1 ballot from Ana to Cy, worth 0.33333 votes"] {
        assert!(transfers.contains(needle), "{needle:?} in {transfers}");
    }
    assert!(transfers.contains("Round 3: 2 ballots from Bo with no further choice, worth 0.66666 votes"), "{transfers}");

    // The published ballots carry no names; Ben finds his with his receipt code.
    let ballots = page.element("ballot-list", "table");
    assert_eq!(ballots.matches("<tr>").count(), 5, "a header and four ballots: {ballots}");
    assert!(ballots.contains("Ana>Bo") && ballots.contains("Ana>Cy") && !ballots.contains("Ben") && !ballots.contains("Ada"), "{ballots}");
    let csrf = ben.get(&path).await.csrf();
    let found = ben.post(&format!("{path}/find-ballot"), &[("csrf_token", &csrf), ("receipt", &receipt)]).await;
    found.assert_status(200);
    assert!(found.element("found-ballot", "div").contains("was counted: Ana>Bo."), "{}", found.html);
    let lost = ben.post(&format!("{path}/find-ballot"), &[("csrf_token", &csrf), ("receipt", "0123456789abcdef0123456789abcdef")]).await;
    lost.assert_contains("No ballot has this receipt code.");
    ben.post(&format!("{path}/find-ballot"), &[("csrf_token", &csrf), ("receipt", " ")]).await.assert_status(422);
    ben.post(&format!("{path}/find-ballot"), &[("receipt", &receipt)]).await.assert_status(403);

    // The BLT link downloads the ballots in a form other counting programs read.
    page.assert_contains(&format!(r#"href="{path}/blt""#)).assert_contains("Download the ballots (BLT file)");
    let res = ben.client.get(format!("{}{path}/blt", ben.base)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let blt = coop_core::election::parse_blt(&res.text().await.unwrap()).expect("a BLT file");
    assert_eq!((blt.candidates.len(), blt.seats, blt.ballots.len()), (3, 2, 4));

    // The list shows the winners.
    let list = ben.get("/decisions/elections").await.element("election-table", "table");
    assert!(list.contains("Ana, Cy") && list.contains("Counted"), "{list}");
}

#[tokio::test]
async fn nominations_then_voting_by_checkbox_or_radio_button() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    let (path, page) = ada.new_election("Treasurer", "1", "plurality", "").await;
    page.assert_contains("The election was created; it now takes nominations.")
        .assert_contains("Taking nominations")
        .assert_contains("No one has been nominated yet.");

    // Ben nominates; a repeated name is refused next to the field; he cannot open voting.
    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    let form = ben.get(&path).await;
    form.assert_contains("nominate-form").assert_lacks("open-form").assert_lacks("ballot-form");
    let csrf = form.csrf();
    let nominated = ben.post(&format!("{path}/nominate"), &[("csrf_token", &csrf), ("name", "Ana")]).await;
    ben.follow(&nominated).await.assert_contains("Ana was nominated.");
    let twice = ben.post(&format!("{path}/nominate"), &[("csrf_token", &csrf), ("name", "Ana")]).await;
    twice.assert_status(422).assert_contains(r#"id="nominate-name-error""#).assert_contains("listed twice");
    ben.post(&format!("{path}/open"), &[("csrf_token", &csrf)]).await.assert_status(403);
    ben.post(&format!("{path}/nominate"), &[("name", "Forged")]).await.assert_status(403);

    // A closing time that is not one, or in the past, or the form token missing: still nominating.
    let csrf = ada.get(&path).await.csrf();
    ada.post(&format!("{path}/open"), &[("csrf_token", &csrf), ("closes", "next week")]).await.assert_status(422).assert_contains("Enter a date and a time");
    ada.post(&format!("{path}/open"), &[("csrf_token", &csrf), ("closes", "2001-01-01T10:00")])
        .await
        .assert_status(422)
        .assert_contains("the closing time must be in the future");
    ada.post(&format!("{path}/open"), &[("closes", "")]).await.assert_status(403);
    let nominated = ada.post(&format!("{path}/nominate"), &[("csrf_token", &csrf), ("name", "Bo")]).await;
    let page = ada.follow(&nominated).await;
    let closes = attr_after(&page.html, r#"name="closes" type="datetime-local" value=""#).expect("a default closing time");
    let opened = ada.post(&format!("{path}/open"), &[("csrf_token", &csrf), ("closes", &closes)]).await;
    ada.follow(&opened).await.assert_contains("Voting is open.").assert_contains("Open for voting").assert_lacks("nominate-form");

    // Plurality: one radio button per candidate.
    let form = ben.get(&path).await;
    assert!(form.html.contains(r#"<input id="choice-0" name="choice" type="radio" value="0">"#), "{}", form.html);
    assert!(form.html.contains(r#"<label for="choice-1">Bo</label>"#));
    let csrf = form.csrf();
    ben.post(&format!("{path}/ballot"), &[("csrf_token", &csrf)]).await.assert_status(422).assert_contains("Choose one of the candidates.");
    let cast = ben.post(&format!("{path}/ballot"), &[("csrf_token", &csrf), ("choice", "1")]).await;
    ben.follow(&cast).await.assert_contains("Your receipt code: ");

    // Approval: one checkbox per candidate.
    let (path, _) = ada.new_election("Committee", "2", "approval", "Ana\nBo\nCy").await;
    let form = ben.get(&path).await;
    for i in 0..3 {
        assert!(form.html.contains(&format!(r#"<input id="approve-{i}" name="approve" type="checkbox" value="{i}">"#)), "{i}");
    }
    let csrf = form.csrf();
    ben.post(&format!("{path}/ballot"), &[("csrf_token", &csrf)]).await.assert_status(422).assert_contains("Tick at least one candidate.");
    let cast = ben.post(&format!("{path}/ballot"), &[("csrf_token", &csrf), ("approve", "0"), ("approve", "2")]).await;
    ben.follow(&cast).await.assert_contains("You have voted in this election.");
    let csrf = ada.get(&path).await.csrf();
    let page = ada.follow(&ada.post(&format!("{path}/close"), &[("csrf_token", &csrf)]).await).await;
    page.assert_contains("Ana,Cy").assert_lacks("blt-link");
    let winners = page.element("winners", "ol");
    assert!(winners.contains("Ana") && winners.contains("Cy") && winners.contains("among the most votes"), "{winners}");

    // Plain members do not create elections.
    let csrf = ben.get("/decisions/elections").await.csrf();
    ben.post("/decisions/elections", &[("csrf_token", &csrf), ("title", "Mine"), ("seats", "1"), ("method", "stv"), ("candidates", "A")])
        .await
        .assert_status(403);
    // The creation form keeps what was typed when something is wrong.
    let csrf = ada.get("/decisions/elections").await.csrf();
    let bad = ada.post("/decisions/elections", &[("csrf_token", &csrf), ("title", "Chair"), ("seats", "two"), ("method", "stv"), ("candidates", "A\nB")]).await;
    bad.assert_status(422).assert_contains(r#"id="election-seats-error""#).assert_contains("Enter a whole number.").assert_contains(r#"value="Chair""#);
    let irv = ada.post("/decisions/elections", &[("csrf_token", &csrf), ("title", "Chair"), ("seats", "2"), ("method", "irv"), ("candidates", "A\nB")]).await;
    irv.assert_status(422).assert_contains("instant-runoff fills one seat");
    let dup = ada.post("/decisions/elections", &[("csrf_token", &csrf), ("title", "Chair"), ("seats", "1"), ("method", "stv"), ("candidates", "A\nA")]).await;
    dup.assert_status(422).assert_contains(r#"id="election-candidates-error""#).assert_contains("A\nA</textarea>");
}

#[tokio::test]
async fn the_election_pages_read_right_to_left_in_arabic() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    let (path, _) = ada.new_election("Board", "1", "irv", "Ana\nBo").await;

    let ben = Browser::new(&coop, Some("ar"));
    ben.sign_in_and_reload(&coop.member).await;
    let page = ben.get(&path).await;
    page.assert_status(200)
        .assert_contains(r#"<html lang="ar" dir="rtl">"#)
        .assert_contains("التصويت الترتيبي الفوري (IRV)")
        .assert_contains("مقعد واحد.")
        .assert_contains("ورقة اقتراعك")
        .assert_contains("بلا ترتيب")
        .assert_contains("الاختيار رقم 1")
        .assert_contains("ما يستطيع المشغّل الذي يصل إلى قاعدة البيانات معرفته رغم ذلك")
        .assert_contains("مفتوح للتصويت")
        .assert_lacks("Not ranked")
        .assert_lacks("1st choice")
        .assert_lacks("Your ballot")
        .assert_lacks("Instant-runoff");
    let twice = ben.rank(&path, &["1", "1"], None).await;
    twice.assert_status(422).assert_contains("أعطيت الرقم 1 لأكثر من مرشح (Ana، Bo)");
    let cast = ben.rank(&path, &["1", ""], None).await;
    ben.follow(&cast).await.assert_contains("سُجّلت ورقة اقتراعك").assert_contains("رمز الإيصال: ");
    let list = ben.get("/decisions/elections").await;
    list.assert_contains(r#"dir="rtl""#).assert_contains("الانتخابات").assert_contains("1 من 2").assert_lacks("Elections");
    ben.get("/decisions").await.assert_contains(r#"href="/decisions/elections""#).assert_contains("الانتخابات");
}

#[tokio::test]
async fn election_pages_carry_no_inline_script_or_style_and_label_every_input() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    let (ranked, _) = ada.new_election("Board", "2", "stv", "Ana\nBo\nCy").await;
    let (nominating, _) = ada.new_election("Treasurer", "1", "plurality", "").await;
    let (approval, _) = ada.new_election("Committee", "1", "approval", "Ana\nBo").await;
    let (closed, _) = ada.new_election("Chair", "1", "irv", "Ana\nBo\nCy").await;
    ada.follow(&ada.rank(&closed, &["2", "1", ""], None).await).await;
    let csrf = ada.get(&closed).await.csrf();
    assert_eq!(ada.post(&format!("{closed}/close"), &[("csrf_token", &csrf)]).await.status, 303);

    let mut pages = vec![
        (format!("{ranked} (422)"), ada.rank(&ranked, &["1", "1", ""], None).await),
        (format!("{closed}/find-ballot"), ada.post(&format!("{closed}/find-ballot"), &[("csrf_token", &csrf), ("receipt", "abc")]).await),
        (
            "/decisions/elections (422)".to_string(),
            ada.post("/decisions/elections", &[("csrf_token", &csrf), ("title", ""), ("seats", "x"), ("method", "stv")]).await,
        ),
    ];
    for path in ["/decisions/elections", ranked.as_str(), nominating.as_str(), approval.as_str(), closed.as_str(), "/decisions/elections/999999"] {
        pages.push((path.to_string(), ada.get(path).await));
    }
    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    pages.push((format!("{ranked} (member)"), ben.get(&ranked).await));
    pages.push((format!("{nominating} (member)"), ben.get(&nominating).await));
    assert_eq!(pages.iter().filter(|(_, p)| p.status == 422).count(), 2, "both bad forms are 422");
    for (path, page) in &pages {
        let html = &page.html;
        assert!(html.starts_with("<!doctype html>"), "{path}");
        assert!(!html.contains("style="), "{path} has a style attribute");
        assert!(!html.contains("<style"), "{path} has a style element");
        assert!(!has_event_handler(html), "{path} has an inline event handler");
        for (i, _) in html.match_indices("<script") {
            let rest = &html[i..];
            let close = rest.find('>').unwrap();
            assert!(rest[..close].contains(" src=\"/static/"), "{path}: a script without src");
            assert!(rest[close + 1..].starts_with("</script>"), "{path}: a script with a body");
        }
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(page.header("cache-control").as_deref(), Some("no-store"), "{path}");
        for (i, _) in html.match_indices("<input ") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            if tag.contains(r#"type="hidden""#) {
                continue;
            }
            let id = attr_after(tag, r#"id=""#).unwrap_or_else(|| panic!("{path}: an input without id: {tag}"));
            assert!(html.contains(&format!(r#"<label for="{id}">"#)), "{path}: no label for {id}");
        }
        for (i, _) in html.match_indices("<select ").chain(html.match_indices("<textarea ")) {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            let id = attr_after(tag, r#"id=""#).unwrap();
            assert!(html.contains(&format!(r#"<label for="{id}">"#)), "{path}: no label for {id}");
        }
        assert!(!html.contains("<th>"), "{path}: every header cell has a scope");
    }
    // The operator box is on every election page.
    for path in [&ranked, &closed, &approval] {
        let page = ada.get(path).await;
        let box_ = page.element("operator-knowledge", "aside");
        for needle in [
            "What an operator with database access can still learn",
            "who voted",
            "every ballot cast so far",
            "Nothing in the database links a ballot to a member",
        ] {
            assert!(box_.contains(needle), "{needle:?} in {box_}");
        }
    }
    ada.get("/decisions/elections/999999").await.assert_status(404);
}

/// Whether an `on...=` attribute (onclick, onload...) appears inside a tag.
fn has_event_handler(html: &str) -> bool {
    html.split('<').skip(1).any(|tag| {
        let tag = tag.split('>').next().unwrap_or("");
        tag.split_whitespace().skip(1).any(|attr| attr.starts_with("on") && attr.contains('='))
    })
}

#[tokio::test]
async fn an_election_that_reaches_its_deadline_without_ballots_elects_nobody() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    // A deadline two seconds away (the form takes minutes, so through the API, with the same session).
    let closes = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_secs(2)).unwrap().to_string();
    let body = serde_json::json!({"title": "Auditor", "seats": 1, "method": "plurality", "candidates": ["Ana", "Bo"], "closes_at": closes});
    let res = ada.client.post(format!("{}/api/v1/elections", ada.base)).header("content-type", "application/json").body(body.to_string()).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let id = serde_json::from_str::<serde_json::Value>(&res.text().await.unwrap()).unwrap()["id"].as_i64().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    // Any election command settles the elections past their deadline.
    common::coop(&coop.data(), &["election", "list", "--json"], None);
    let page = ada.get(&format!("/decisions/elections/{id}")).await;
    page.assert_status(200)
        .assert_contains("Counted")
        .assert_contains("No ballot was cast before the deadline, so nobody was elected.")
        .assert_lacks(r#"id="rounds""#);
}
