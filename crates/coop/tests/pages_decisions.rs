//! Black-box tests of the decision pages: the real `coop` binary, served on a free port and
//! driven with reqwest like a browser without JavaScript (a cookie store, forms posted as
//! `application/x-www-form-urlencoded`, redirects followed by hand so each can be checked).
//!
//! Every test sets up its decision classes and proposals through the pages themselves (the
//! class form applies at once before the co-op's first decision), so the forms are tested too.

mod common;

use common::browser::{attr_after, Browser, Page};
use common::{coop, TestCoop};

/// A two-thirds vote of votes cast, quorum one half, members only.
const TWO_THIRDS: &str = r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#;
const CONSENSUS: &str = r#"{"kind":"consensus","max_stand_asides":1,"quorum":null,"fallback":null}"#;

/// The head hash that `coop journal verify` prints ("ok <entries> <head>").
fn cli_head(c: &TestCoop) -> String {
    let out = coop(&c.data(), &["journal", "verify"], None);
    out.split_whitespace().nth(2).unwrap_or_else(|| panic!("no head in {out:?}")).to_string()
}

/// The count in the tally table's row for `label`.
fn tally_count(page: &Page, label: &str) -> u32 {
    let table = page.element("tally", "table");
    let row = format!(r#"<th scope="row">{label}</th>"#);
    let at = table.find(&row).unwrap_or_else(|| panic!("no row {label} in {table}")) + row.len();
    let cell = &table[at..];
    let start = cell.find('>').unwrap() + 1;
    let end = cell.find("</td>").unwrap();
    cell[start..end].trim().parse().unwrap_or_else(|e| panic!("{label}: {e} in {cell}"))
}

/// The receipt code in the one-time message after a secret vote.
fn receipt_in(page: &Page) -> String {
    let text = page.text();
    let at = text.find("Your receipt code: ").unwrap_or_else(|| panic!("no receipt in {}", page.html)) + "Your receipt code: ".len();
    let code: String = text[at..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(code.len(), 32, "a 128-bit code: {code:?}");
    code
}

#[tokio::test]
async fn the_list_shows_an_open_proposal_and_a_member_votes_through_the_form() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;

    // Before any decision the class form applies at once, and the table quotes the rule.
    let classes = ada.set_class("general", TWO_THIRDS, &["member"], "live").await;
    classes
        .assert_contains("The class general was set.")
        .assert_contains("Vote: at least two-thirds (2/3) of votes cast (yes and no); quorum half (1/2) of eligible members")
        .assert_contains("this change applies at once");
    assert!(classes.element("class-table", "table").contains("Live, while voting is open"));

    // A closing time that is not one is refused on the form, with what was typed kept.
    let csrf = ada.get("/decisions/new").await.csrf();
    let bad = ada.post("/decisions/new", &[("csrf_token", &csrf), ("class", "general"), ("title", "Buy a new oven"), ("closes", "next week")]).await;
    bad.assert_status(422).assert_contains("Enter a date and a time").assert_contains(r#"value="Buy a new oven""#);
    let past = ada.post("/decisions/new", &[("csrf_token", &csrf), ("class", "general"), ("title", "Buy a new oven"), ("closes", "2001-01-01T10:00")]).await;
    past.assert_status(422).assert_contains("the closing time must be in the future");

    let path = ada.open_proposal("general", "Buy a new oven", "We need <b>it</b>.\n\n* bakes 40 loaves", false).await;
    let page = ada.get(&path).await;
    page.assert_contains("Vote: at least two-thirds (2/3) of votes cast (yes and no); quorum half (1/2) of eligible members");
    assert!(
        page.html.contains("We need &lt;b&gt;it&lt;&#x2f;b&gt;.") || page.html.contains("We need &lt;b&gt;it&lt;/b&gt;."),
        "the body is escaped: {}",
        page.html
    );
    page.assert_contains("close-form");

    // Ben, a plain member, sees it among the open proposals with its turnout and what it needs.
    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    let list = ben.get("/decisions").await;
    list.assert_status(200).assert_contains(&format!(r#"href="{path}">Buy a new oven</a>"#)).assert_contains("New proposal");
    let open = list.element("open-proposals", "section");
    assert!(open.contains("0 of 2") && open.contains("needs 1 more") && open.contains("general"), "{open}");
    assert!(list.element("decided-proposals", "section").contains("No proposal has been decided yet."));

    // Ben votes through the form: one radio button per choice, the reason, the token.
    let form = ben.get(&path).await;
    form.assert_contains("You have not voted yet.").assert_lacks("close-form");
    for choice in ["yes", "no", "abstain"] {
        assert!(form.html.contains(&format!(r#"<input id="vote-{choice}" name="choice" type="radio" value="{choice}""#)), "{choice}");
    }
    let csrf = form.csrf();
    let voted = ben.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "yes"), ("reason", "Ours is broken")]).await;
    assert_eq!(voted.location(), path);
    let page = ben.follow(&voted).await;
    page.assert_contains("Your vote was recorded.").assert_contains("Your current vote: Yes.");
    assert!(page.html.contains(r#"value="yes" checked"#), "the form shows the current choice");
    assert_eq!((tally_count(&page, "Yes"), tally_count(&page, "No"), tally_count(&page, "Abstain")), (1, 0, 0));
    page.assert_contains("If voting closed now: passed: 1 of 1 votes cast (yes and no), at least two-thirds (2/3) needed, quorum 1 of 2 met");
    page.assert_contains("With the votes cast so far, it would pass.");
    assert!(page.element("proposal-turnout", "dd").contains("1 of 2"));
    let votes = page.element("votes", "section");
    assert!(votes.contains("Ben Baker") && votes.contains("Ours is broken"), "{votes}");

    // A second vote replaces the first.
    let changed = ben.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "no")]).await;
    let page = ben.follow(&changed).await;
    page.assert_contains("Your vote was changed.").assert_contains("Your current vote: No.");
    assert_eq!((tally_count(&page, "Yes"), tally_count(&page, "No")), (0, 1));
    // One member is left to vote, and one more yes would make 1 of 2: short of two-thirds.
    page.assert_contains("It can no longer pass, even if everyone still to vote chose Yes.");

    // A comment through the discussion form.
    let commented = ben.post(&format!("{path}/comments"), &[("csrf_token", &csrf), ("body", "Can we lease one instead?")]).await;
    let page = ben.follow(&commented).await;
    page.assert_contains("Your comment was added.");
    assert!(page.element("discussion", "section").contains("Can we lease one instead?"));

    // Ada's vote is the last one: the proposal closes itself and moves to the decided list.
    let csrf = ada.get(&path).await.csrf();
    let last = ada.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "yes")]).await;
    let page = ada.follow(&last).await;
    page.assert_contains("It was the last one")
        .assert_contains("Failed")
        .assert_contains("failed: 1 of 2 votes cast (yes and no), at least two-thirds (2/3) needed");
    page.assert_lacks("vote-form").assert_contains("The discussion closed with the vote.");
    let decided = ben.get("/decisions").await.element("decided-proposals", "section");
    assert!(decided.contains("Buy a new oven") && decided.contains("status-failed"), "{decided}");
    // After founding, the class form opens a proposal instead.
    ada.get("/decisions/classes")
        .await
        .assert_contains("this form opens a proposal under the class that governs the rules (general)")
        .assert_contains("Propose the change");
}

#[tokio::test]
async fn a_post_without_the_form_token_is_refused_and_changes_nothing() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    ada.set_class("general", TWO_THIRDS, &["member"], "live").await;
    let path = ada.open_proposal("general", "Paint the shop", "", false).await;

    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    let head = cli_head(&coop);
    let missing = ben.post(&format!("{path}/vote"), &[("choice", "yes")]).await;
    missing.assert_status(403).assert_contains("The form expired. Reload the page and try again.");
    ben.post(&format!("{path}/vote"), &[("csrf_token", "0000"), ("choice", "yes")]).await.assert_status(403);
    ben.post(&format!("{path}/comments"), &[("body", "forged")]).await.assert_status(403);
    ben.post(&format!("{path}/find-ballot"), &[("receipt", "00")]).await.assert_status(403);
    ada.post(&format!("{path}/close"), &[]).await.assert_status(403);
    ada.post("/decisions/new", &[("class", "general"), ("title", "Forged")]).await.assert_status(403);
    ada.post("/decisions/classes", &[("name", "forged"), ("rule", TWO_THIRDS), ("eligible", "member"), ("results", "live")]).await.assert_status(403);
    assert_eq!(cli_head(&coop), head, "a refused form writes nothing to the journal");

    let page = ben.get(&path).await;
    page.assert_contains("You have not voted yet.").assert_lacks("forged").assert_contains("Open");
    assert!(page.element("proposal-turnout", "dd").contains("0 of 2"));
    assert_eq!(tally_count(&page, "Yes"), 0);
    ben.get("/decisions").await.assert_lacks("Forged");
    ada.get("/decisions/classes").await.assert_lacks("forged");
}

#[tokio::test]
async fn a_candidate_is_told_why_they_cannot_vote_and_a_block_needs_a_reason() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    ada.set_class("general", TWO_THIRDS, &["member"], "live").await;
    ada.set_class("hiring", CONSENSUS, &["member"], "live").await;
    let path = ada.open_proposal("general", "Open on Sundays", "", false).await;

    // Cleo is a candidate: the class admits members only. The refusal is on the page.
    let cleo = Browser::new(&coop, None);
    cleo.sign_in_and_reload(&coop.candidate).await;
    let csrf = cleo.get(&path).await.csrf();
    let head = cli_head(&coop);
    let refused = cleo.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "yes")]).await;
    refused.assert_status(403).assert_contains("You cannot vote on this proposal.").assert_contains("candidates do not vote on this class");
    assert!(refused.element("vote-refused", "div").contains("candidates do not vote"));
    assert_eq!(cli_head(&coop), head, "nothing was recorded");
    assert!(cleo.get(&path).await.element("proposal-turnout", "dd").contains("0 of 2"));
    // Candidates do not open proposals either: no link, and the form refuses.
    cleo.get("/decisions").await.assert_lacks(r#"href="/decisions/new""#);
    cleo.get("/decisions/new").await.assert_status(403);

    // Under consensus a block must say why; the form says so and keeps the choice.
    let consensus = ada.open_proposal("hiring", "Hire Dana", "", false).await;
    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    let page = ben.get(&consensus).await;
    page.assert_contains("Consensus: passes with no block; at most 1 stand-aside; no quorum; a block stops the proposal");
    page.assert_contains("required when you choose Block");
    let csrf = page.csrf();
    let bare = ben.post(&format!("{consensus}/vote"), &[("csrf_token", &csrf), ("choice", "block"), ("reason", " ")]).await;
    bare.assert_status(422).assert_contains("block needs a reason").assert_contains(r#"id="vote-reason-error""#);
    assert!(bare.html.contains(r#"value="block" checked"#));
    let none = ben.post(&format!("{consensus}/vote"), &[("csrf_token", &csrf)]).await;
    none.assert_status(422).assert_contains("Choose one of the options.");
    let blocked = ben.post(&format!("{consensus}/vote"), &[("csrf_token", &csrf), ("choice", "block"), ("reason", "We cannot pay a fourth wage yet")]).await;
    ben.follow(&blocked).await.assert_contains("Your current vote: Block.").assert_contains("It can no longer pass");
}

#[tokio::test]
async fn a_secret_ballot_shows_the_receipt_once_and_says_what_an_operator_can_learn() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    ada.set_class("board", TWO_THIRDS, &["member"], "after_close").await;
    let path = ada.open_proposal("board", "Elect the treasurer", "", true).await;

    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    let page = ben.get(&path).await;
    page.assert_contains("Secret ballot").assert_contains("this page cannot show your vote");
    let box_ = page.element("operator-knowledge", "aside");
    for needle in [
        "What an operator with database access can still learn",
        "who voted: the turnout list names every member who voted, but not how",
        "the journal records the time of each vote",
        "Nothing in the database links a ballot to a member",
        "A determined operator who watches the server live",
        "receipt code lets you check",
    ] {
        assert!(box_.contains(needle), "{needle:?} in {box_}");
    }
    // Hidden until the close, and the page says when.
    page.assert_contains("The tally is shown when voting closes").assert_lacks(r#"id="tally""#);

    let csrf = page.csrf();
    let voted = ben.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "yes")]).await;
    let shown = ben.follow(&voted).await;
    shown.assert_contains("Your secret vote was recorded.").assert_contains("shown only this once");
    let receipt = receipt_in(&shown);
    // Once: the next page no longer has it, and nothing else shows it.
    let again = ben.get(&path).await;
    again.assert_lacks(&receipt).assert_lacks("Your secret vote was recorded.").assert_lacks(r#"id="votes""#);
    assert!(again.element("proposal-turnout", "dd").contains("1 of 2"), "turnout is shown");

    // Voting again needs the receipt; with it, the choice is replaced.
    let twice = ben.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "no")]).await;
    twice.assert_status(409).assert_contains("change a secret vote with its receipt code").assert_lacks(&receipt);
    let wrong = ben.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "no"), ("receipt", "not-a-receipt")]).await;
    wrong.assert_status(422).assert_contains("no ballot in this round has that receipt").assert_lacks("not-a-receipt");
    let changed = ben.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "no"), ("receipt", &receipt)]).await;
    ben.follow(&changed).await.assert_contains("Your secret vote was changed.");

    // The secretary or an admin closes it; the ballots are published, without names.
    let csrf_ada = ada.get(&path).await.csrf();
    let closed = ada.post(&format!("{path}/close"), &[("csrf_token", &csrf_ada)]).await;
    let page = ada.follow(&closed).await;
    page.assert_contains("Voting was closed and the outcome computed.").assert_contains("Failed").assert_lacks("close-form");
    let ballots = page.element("ballot-list", "table");
    assert!(ballots.contains(">No</td>") && !ballots.contains("Ben") && !ballots.contains("Ada"), "{ballots}");

    // "Find my ballot" finds Ben's with his code, and nothing with another.
    let csrf = ben.get(&path).await.csrf();
    let found = ben.post(&format!("{path}/find-ballot"), &[("csrf_token", &csrf), ("receipt", &receipt)]).await;
    found.assert_status(200).assert_contains("was counted: No (round 1)");
    let lost = ben.post(&format!("{path}/find-ballot"), &[("csrf_token", &csrf), ("receipt", "0123456789abcdef0123456789abcdef")]).await;
    lost.assert_contains("No ballot has this receipt code.");
    ben.post(&format!("{path}/find-ballot"), &[("csrf_token", &csrf), ("receipt", "")]).await.assert_status(422);
}

#[tokio::test]
async fn the_proposal_page_reads_right_to_left_in_arabic() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    ada.set_class("general", TWO_THIRDS, &["member"], "live").await;
    let path = ada.open_proposal("general", "Buy a new oven", "", true).await;

    let ben = Browser::new(&coop, Some("ar"));
    ben.sign_in_and_reload(&coop.member).await;
    let page = ben.get(&path).await;
    page.assert_status(200)
        .assert_contains(r#"<html lang="ar" dir="rtl">"#)
        .assert_contains("تصويت: ما لا يقل عن الثلثين (2/3) من الأصوات المُدلى بها (نعم ولا)؛ نصاب لا يقل عن النصف (1/2)")
        .assert_contains("صوتك")
        .assert_contains(r#"<label for="vote-yes">نعم</label>"#)
        .assert_contains("امتناع عن التصويت")
        .assert_contains("ما يستطيع المشغّل الذي يصل إلى قاعدة البيانات معرفته رغم ذلك")
        .assert_contains("مفتوح للتصويت")
        .assert_lacks(">Yes<")
        .assert_lacks("Vote:")
        .assert_lacks("Your vote");
    let csrf = page.csrf();
    let voted = ben.post(&format!("{path}/vote"), &[("csrf_token", &csrf), ("choice", "yes")]).await;
    ben.follow(&voted).await.assert_contains("سُجّل صوتك السري").assert_contains("رمز الإيصال: ");
    let list = ben.get("/decisions").await;
    list.assert_contains(r#"dir="rtl""#).assert_contains("المقترحات المفتوحة للتصويت").assert_contains("1 من 2").assert_contains("يُقَرّ لو انتهى التصويت الآن");
    ben.get("/decisions/classes").await.assert_contains("فئات القرارات").assert_contains("مباشرة، أثناء التصويت").assert_lacks("Decision classes");
}

#[tokio::test]
async fn decision_pages_carry_no_inline_script_or_style_and_label_every_input() {
    let coop = TestCoop::start();
    let ada = Browser::new(&coop, None);
    ada.sign_in_and_reload(&coop.admin).await;
    ada.set_class("general", TWO_THIRDS, &["member", "candidate"], "after_vote").await;
    ada.set_class("hiring", r#"{"kind":"consensus","max_stand_asides":null,"quorum":"1/2","fallback":{"threshold":"3/4","base":"cast"}}"#, &["member"], "live")
        .await;
    let open = ada.open_proposal("general", "Open ballot", "text", false).await;
    let secret = ada.open_proposal("hiring", "Secret ballot", "text", true).await;
    let csrf = ada.get(&secret).await.csrf();
    let closed = ada.post(&format!("{secret}/close"), &[("csrf_token", &csrf)]).await;
    assert_eq!(closed.status, 303);
    let found = ada.post(&format!("{secret}/find-ballot"), &[("csrf_token", &csrf), ("receipt", "abc")]).await;
    let bad_class = ada.post("/decisions/classes", &[("csrf_token", &csrf), ("name", "x"), ("rule", "{"), ("results", "live")]).await;
    bad_class.assert_status(422).assert_contains(r#"id="class-rule-error""#);

    let mut pages = vec![(format!("{secret}/find-ballot"), found), ("/decisions/classes (422)".to_string(), bad_class)];
    for path in ["/decisions", "/decisions/new", "/decisions/classes", open.as_str(), secret.as_str(), "/decisions/999999"] {
        pages.push((path.to_string(), ada.get(path).await));
    }
    let ben = Browser::new(&coop, None);
    ben.sign_in_and_reload(&coop.member).await;
    pages.push((format!("{open} (member)"), ben.get(&open).await));
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
    // The member page of the after-vote class hides the tally until Ben votes.
    pages.last().unwrap().1.assert_contains("The tally is shown to you once you have voted.");
    // The consensus page names its fallback round.
    ada.get(&secret).await.assert_contains("a second round decides by vote, and its result is final: at least three-quarters (3/4) of votes cast");
}

/// Whether an `on...=` attribute (onclick, onload...) appears inside a tag.
fn has_event_handler(html: &str) -> bool {
    html.split('<').skip(1).any(|tag| {
        let tag = tag.split('>').next().unwrap_or("");
        tag.split_whitespace().skip(1).any(|attr| attr.starts_with("on") && attr.contains('='))
    })
}
