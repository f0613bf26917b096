//! Black-box tests of the Meetings pages: the real `coop` binary served on a free port, driven
//! like a browser without JavaScript. A meeting is scheduled through the form, its agenda is
//! suggested, accepted, reordered and published, attendance is recorded with mixed answers and
//! the live quorum of a linked proposal follows, roles and notes are written, actions show on
//! the owner's dashboard, the minutes are circulated, approved (the seal shown) and corrected by
//! an erratum, the exports download with their media types, and the private calendar feed
//! answers its token and nothing else.

mod common;

use common::browser::{attr_after, Browser, Page};
use common::{add_member, TestCoop};

const HANDS: &str = r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":"1/2"}"#;

/// Ids in `html` of the elements whose id is `PREFIX-N`, in page order.
fn ids(html: &str, prefix: &str) -> Vec<i64> {
    let key = format!(r#"id="{prefix}-"#);
    html.match_indices(&key)
        .filter_map(|(i, _)| {
            let rest = &html[i + key.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

/// The text of the element with `id`, tags removed and spaces squeezed.
fn text_of(page: &Page, id: &str, tag: &str) -> String {
    let el = page.element(id, tag);
    let mut out = String::new();
    let mut inside = false;
    for ch in el.chars() {
        match ch {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Schedules a meeting through the form; returns its path.
async fn schedule(b: &Browser, fields: &[(&str, &str)], flash: &str) -> String {
    let list = b.get("/meetings").await;
    list.assert_status(200);
    let csrf = list.csrf();
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    let answer = b.post("/meetings", &form).await;
    assert_eq!(answer.status, 303, "schedule: {}", answer.html);
    let path = answer.location();
    assert!(path.starts_with("/meetings/") && path[10..].parse::<i64>().is_ok(), "{path}");
    b.follow(&answer).await.assert_status(200).assert_contains(flash);
    path
}

/// Posts `form` (the page's token added) to `action` and follows the redirect back.
async fn submit(b: &Browser, page_path: &str, action: &str, form: &[(&str, &str)]) -> Page {
    let csrf = b.get(page_path).await.csrf();
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(form);
    let answer = b.post(action, &all).await;
    assert_eq!(answer.status, 303, "POST {action}: {}", answer.html);
    let page = b.follow(&answer).await;
    page.assert_status(200);
    page
}

#[tokio::test]
async fn a_meeting_from_schedule_to_sealed_minutes_through_the_forms() {
    let c = TestCoop::start();
    let dan = add_member(&c.data(), "Dan Dough", "dan@example.org", "member", &[], None);
    let ada = Browser::new(&c, None);
    ada.sign_in_and_reload(&c.admin).await;
    let ben = Browser::new(&c, None);
    ben.sign_in_and_reload(&c.member).await;

    // Schedule: a one-off, and a weekly series of three.
    let m = schedule(
        &ada,
        &[
            ("title", "March general"),
            ("kind", "general"),
            ("starts", "2031-03-04T19:00"),
            ("minutes_long", "90"),
            ("place", "Back room"),
            ("link", "https://meet.example.org/general"),
            ("repeat", ""),
            ("count", ""),
            ("until", ""),
        ],
        "The meeting is scheduled.",
    )
    .await;
    schedule(
        &ada,
        &[("title", "Weekly sync"), ("kind", "production"), ("starts", "2031-01-06T10:00"), ("minutes_long", "30"), ("repeat", "weekly"), ("count", "3")],
        "3 meetings are scheduled.",
    )
    .await;
    let list = ben.get("/meetings").await;
    list.assert_status(200).assert_lacks(r#"id="schedule-form""#);
    assert_eq!(list.html.matches(">Weekly sync</a>").count(), 3, "{}", list.html);
    assert!(text_of(&list, "upcoming-table", "table").contains("March general General meeting 4 Mar 2031 19:00 Back room · online Draft"));
    // A bad start is drawn again with the message beside it.
    let csrf = ada.get("/meetings").await.csrf();
    let bad = ada.post("/meetings", &[("csrf_token", &csrf), ("title", "Oops"), ("kind", "general"), ("starts", "soon"), ("minutes_long", "60")]).await;
    bad.assert_status(422).assert_contains(r#"id="meeting-starts-error""#).assert_contains(r#"value="Oops""#);
    let bad =
        ada.post("/meetings", &[("csrf_token", &csrf), ("title", "Oops"), ("kind", "general"), ("starts", "2031-03-04T19:00"), ("minutes_long", "1")]).await;
    bad.assert_status(422).assert_contains("a meeting lasts 5 minutes to 24 hours");

    let page = ada.get(&m).await;
    page.assert_status(200).assert_contains("4 Mar 2031 19:00 – 4 Mar 2031 20:30").assert_contains(r#"href="https://meet.example.org/general""#);

    // Agenda: Ben suggests, Ada adds two items and accepts the suggestion, then moves it up.
    let page = submit(&ben, &m, &format!("{m}/suggest"), &[("title", "Buy a new oven"), ("notes", "The old one is failing")]).await;
    page.assert_contains("Your suggestion is sent to the secretary.").assert_lacks("Put on the agenda");
    let suggested = ids(&page.html, "suggested");
    assert_eq!(suggested.len(), 1);
    let oven = suggested[0];
    submit(&ada, &m, &format!("{m}/items"), &[("title", "Budget"), ("minutes", "20"), ("presenter", &c.admin.id.to_string())]).await;
    let page = submit(&ada, &m, &format!("{m}/items"), &[("title", "Rota"), ("minutes", "")]).await;
    page.assert_contains("The item is added to the agenda.").assert_contains("Presented by Ada Admin").assert_contains("20 min");
    let page = submit(&ada, &m, &format!("{m}/items/{oven}/accept"), &[]).await;
    page.assert_contains("The item is on the agenda.");
    let order = ids(&page.html, "item");
    assert_eq!(order.len(), 3);
    assert_eq!(order[0], oven, "an accepted item keeps the place it was suggested in");
    let (budget, rota) = (order[1], order[2]);
    let page = submit(&ada, &m, &format!("{m}/items/{oven}/move"), &[("direction", "down")]).await;
    page.assert_contains("The agenda is in its new order.");
    assert_eq!(ids(&page.html, "item"), vec![budget, oven, rota]);
    let page = submit(&ada, &m, &format!("{m}/items/{rota}/move"), &[("direction", "up")]).await;
    assert_eq!(ids(&page.html, "item"), vec![budget, rota, oven]);
    // The first item has no "up" button, the last no "down" button.
    assert_eq!(page.html.matches(&format!("{m}/items/{budget}/move")).count(), 1);
    assert_eq!(page.html.matches(&format!("{m}/items/{oven}/move")).count(), 1);
    page.assert_contains("The agenda is not published yet.");
    let page = submit(&ada, &m, &format!("{m}/publish"), &[]).await;
    page.assert_contains("The agenda is published.").assert_contains("The agenda was published on");
    // An empty title is refused on the form, what was typed kept.
    let csrf = page.csrf();
    let refused = ada.post(&format!("{m}/items"), &[("csrf_token", &csrf), ("title", " "), ("minutes", "15")]).await;
    refused.assert_status(422).assert_contains(r#"id="item-title-error""#).assert_contains(r#"name="minutes" type="number" value="15""#);

    // A proposal linked by an item: its quorum follows the attendance live.
    ada.set_class("hands", HANDS, &["member"], "live").await;
    let proposal = ada.open_proposal("hands", "Buy the oven", "The gas one.", false).await;
    let pid = proposal.trim_start_matches("/decisions/").to_string();
    let page = submit(&ada, &m, &format!("{m}/items"), &[("title", "Oven decision"), ("proposal", &pid)]).await;
    let row = text_of(&page, &format!("decision-{pid}"), "tr");
    assert!(row.contains("1/2 of 3 eligible: 2 needed") && row.contains("Quorum not met"), "{row}");
    assert!(page.html.contains(&format!(r#"<a href="/decisions/{pid}">"#)), "the decision links to its page");

    // Attendance with mixed answers, then the counts and the quorum.
    let answers = [
        (format!("a-{}", c.admin.id), "present"),
        (format!("a-{}", c.member.id), "remote"),
        (format!("a-{}", c.candidate.id), "absent"),
        (format!("a-{}", dan.id), "excused"),
    ];
    let form: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let page = submit(&ada, &m, &format!("{m}/attendance"), &form).await;
    page.assert_contains("The attendance is saved.");
    let counts: Vec<String> = ["present", "remote", "absent", "excused"].iter().map(|k| text_of(&page, &format!("count-{k}"), "dd")).collect();
    assert_eq!(counts, ["1", "1", "1", "1"]);
    let row = text_of(&page, &format!("decision-{pid}"), "tr");
    assert!(row.contains("2 needed 2 Quorum met"), "{row}");
    page.assert_contains(r#"<option value="remote" selected>Remote</option>"#);
    // A plain member may not record attendance.
    let csrf = ben.get(&m).await.csrf();
    let key = format!("a-{}", c.member.id);
    ben.post(&format!("{m}/attendance"), &[("csrf_token", csrf.as_str()), (key.as_str(), "absent")]).await.assert_status(403);
    assert_eq!(text_of(&ada.get(&m).await, "count-remote", "dd"), "1", "nothing changed");

    // Roles: the form starts on the rotation's suggestions; Ben becomes the note-taker.
    let page = ada.get(&m).await;
    assert!(page.html.contains(r#"<select id="role-facilitator" name="role-facilitator""#));
    assert!(page.html.contains(r#"<th scope="col">Suggested by the rotation</th>"#));
    let page = submit(
        &ada,
        &m,
        &format!("{m}/roles"),
        &[("role-facilitator", &c.admin.id.to_string()), ("role-note_taker", &c.member.id.to_string()), ("role-timekeeper", &dan.id.to_string())],
    )
    .await;
    page.assert_contains("The roles are saved.");
    assert!(text_of(&page, "role-note_taker", "tr").contains("Note-taker Ben Baker"));
    assert!(text_of(&page, "role-timekeeper", "tr").contains("Timekeeper Dan Dough"));

    // Notes: the note-taker writes them; a candidate may not.
    let page = ben.get(&m).await;
    assert!(page.html.contains(&format!(r#"id="notes-{oven}""#)), "the note-taker gets a notes form");
    let page = submit(&ben, &m, &format!("{m}/items/{oven}/notes"), &[("notes", "Agreed: the gas oven, delivered in April.")]).await;
    page.assert_contains("The notes are saved.").assert_contains("Agreed: the gas oven, delivered in April.");
    let cleo = Browser::new(&c, None);
    cleo.sign_in_and_reload(&c.candidate).await;
    let cleo_page = cleo.get(&m).await;
    assert!(!cleo_page.html.contains(&format!(r#"id="notes-{oven}""#)));
    cleo_page.assert_contains("Agreed: the gas oven");
    let csrf = cleo_page.csrf();
    cleo.post(&format!("{m}/items/{oven}/notes"), &[("csrf_token", csrf.as_str()), ("notes", "vandalised")]).await.assert_status(403);

    // Actions: one overdue, one not; both on Ben's dashboard.
    let ben_id = c.member.id.to_string();
    submit(&ada, &m, &format!("{m}/actions"), &[("title", "Order the oven"), ("owner", &ben_id), ("due", "2026-01-15"), ("item", &oven.to_string())]).await;
    let page = submit(&ada, &m, &format!("{m}/actions"), &[("title", "Call the bank"), ("owner", &ben_id), ("due", "2099-01-15"), ("item", "")]).await;
    page.assert_contains("The action is recorded.");
    let actions = ids(&page.html, "action");
    assert_eq!(actions.len(), 2);
    let bad = ada.post(&format!("{m}/actions"), &[("csrf_token", page.csrf().as_str()), ("title", "Later"), ("owner", &ben_id), ("due", "someday")]).await;
    bad.assert_status(422).assert_contains(r#"id="action-due-error""#);
    let home = ben.get("/").await;
    home.assert_contains("One of your actions is overdue.");
    let mine = text_of(&home, "my-actions-table", "table");
    assert!(mine.contains("Order the oven March general 15 Jan 2026 Overdue"), "{mine}");
    assert!(mine.contains("Call the bank March general 15 Jan 2099 Open"), "{mine}");
    assert!(!text_of(&ada.get("/").await, "my-actions-section", "section").contains("Order the oven"), "only the owner's actions");
    // Ben marks the overdue one done from the dashboard and lands back there.
    let done = ben.post(&format!("{m}/actions/{}/done", actions[0]), &[("csrf_token", home.csrf().as_str()), ("done", "1"), ("back", "/")]).await;
    assert_eq!(done.location(), "/");
    let home = ben.follow(&done).await;
    home.assert_contains("The action is marked done.").assert_lacks("is overdue");
    assert!(!text_of(&home, "my-actions-table", "table").contains("Order the oven"));
    assert!(text_of(&ada.get(&m).await, &format!("action-{}", actions[0]), "tr").contains("Done"));

    // Minutes: circulate, approve: sealed, with the hash and the journal head shown.
    let page = submit(&ada, &m, &format!("{m}/circulate"), &[]).await;
    page.assert_contains("The minutes are circulated.");
    assert_eq!(text_of(&page, "minutes-status", "dd"), "Circulated");
    let page = submit(&ada, &m, &format!("{m}/approve"), &[]).await;
    page.assert_contains("The minutes are approved and sealed.");
    assert_eq!(text_of(&page, "minutes-status", "dd"), "Approved and sealed");
    let seal = text_of(&page, "sealed-hash", "code");
    let head = text_of(&page, "approval-head", "code");
    assert!(seal.len() == 64 && seal.bytes().all(|b| b.is_ascii_hexdigit()), "{seal}");
    assert_eq!(head.len(), 64);
    page.assert_lacks(r#"id="attendance-form""#).assert_lacks(r#"id="item-form""#);
    // Sealed: attendance is refused.
    let refused = ada.post(&format!("{m}/attendance"), &[("csrf_token", page.csrf().as_str()), (key.as_str(), "absent")]).await;
    refused.assert_status(409).assert_contains("erratum");

    // An erratum is appended and sealed; the original notes and seal stay.
    let page = submit(&ada, &m, &format!("{m}/errata"), &[("text", "The oven is delivered in May, not April.")]).await;
    page.assert_contains("The erratum is appended and sealed.").assert_contains("The oven is delivered in May, not April.");
    page.assert_contains("Agreed: the gas oven, delivered in April.");
    assert_eq!(text_of(&page, "sealed-hash", "code"), seal);
    let errata = ids(&page.html, "erratum");
    assert_eq!(errata.len(), 1);
    let erratum = text_of(&page, &format!("erratum-{}", errata[0]), "li");
    assert!(erratum.contains("Added by") && erratum.split_whitespace().last().is_some_and(|h| h.len() == 64 && h != seal), "{erratum}");

    // Exports download with their media types and carry the seal.
    let md = ben.get(&format!("{m}/export.md")).await;
    md.assert_status(200);
    assert_eq!(md.header("content-type").as_deref(), Some("text/markdown; charset=utf-8"));
    assert!(md.header("content-disposition").unwrap_or_default().starts_with("attachment"));
    for needle in ["March general", "Buy a new oven", "Agreed: the gas oven, delivered in April.", "The oven is delivered in May", &seal, &head] {
        assert!(md.html.contains(needle), "markdown lacks {needle:?}:\n{}", md.html);
    }
    let html = ben.get(&format!("{m}/export.html")).await;
    assert_eq!(html.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
    assert!(html.html.contains(&seal) && html.html.contains("Buy a new oven"));
    let pdf = ben.client.get(c.url(&format!("{m}/export.pdf"))).send().await.unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let ics = ben.get(&format!("{m}/export.ics")).await;
    assert_eq!(ics.header("content-type").as_deref(), Some("text/calendar; charset=utf-8"));
    assert!(ics.html.contains("BEGIN:VCALENDAR") && ics.html.contains("SUMMARY:March general"), "{}", ics.html);
    // Not signed in: no export.
    let stranger = Browser::new(&c, None);
    assert_eq!(stranger.get(&format!("{m}/export.md")).await.status, 303);
}

#[tokio::test]
async fn the_calendar_feed_answers_its_token_only() {
    let c = TestCoop::start();
    let ada = Browser::new(&c, None);
    ada.sign_in_and_reload(&c.admin).await;
    schedule(&ada, &[("title", "Board in June"), ("kind", "board"), ("starts", "2031-06-02T18:30"), ("minutes_long", "60")], "The meeting is scheduled.").await;

    let ben = Browser::new(&c, None);
    ben.sign_in_and_reload(&c.member).await;
    let account = ben.get("/account").await;
    account.assert_contains("Calendar feed").assert_contains(r#"action="/account/calendar""#);
    let made = ben.post("/account/calendar", &[("csrf_token", account.csrf().as_str())]).await;
    assert_eq!(made.location(), "/account");
    let shown = ben.follow(&made).await;
    let text = shown.text();
    let start = text.find("Your calendar address (shown once): ").expect("the address is shown") + "Your calendar address (shown once): ".len();
    let url = text[start..].split('<').next().unwrap().trim().to_string();
    assert!(url.starts_with(&c.url("/calendar/")) && url.ends_with(".ics"), "{url}");
    let token = url.trim_start_matches(&c.url("/calendar/")).trim_end_matches(".ics").to_string();
    assert_eq!(token.len(), 64);
    // Shown once only.
    ben.get("/account").await.assert_lacks(&token);

    // No sign-in: the token is the credential.
    let app = reqwest::Client::new();
    let feed = app.get(&url).send().await.unwrap();
    assert_eq!(feed.status().as_u16(), 200);
    assert_eq!(feed.headers()["content-type"], "text/calendar; charset=utf-8");
    let body = feed.text().await.unwrap();
    assert!(body.contains("BEGIN:VCALENDAR") && body.contains("SUMMARY:Board in June"), "{body}");

    // A wrong token, a malformed one and one without .ics: 404.
    let mut wrong = token.clone().into_bytes();
    wrong[0] = if wrong[0] == b'a' { b'b' } else { b'a' };
    let wrong = String::from_utf8(wrong).unwrap();
    for path in [format!("/calendar/{wrong}.ics"), "/calendar/nope.ics".to_string(), format!("/calendar/{token}")] {
        let res = app.get(c.url(&path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404, "{path}");
    }
    // A new address stops the old one.
    let account = ben.get("/account").await;
    ben.post("/account/calendar", &[("csrf_token", account.csrf().as_str())]).await;
    assert_eq!(app.get(&url).send().await.unwrap().status().as_u16(), 404);
    // Without the form token nothing is made.
    let refused = ben.post("/account/calendar", &[]).await;
    refused.assert_status(403);
}

#[tokio::test]
async fn permissions_and_the_form_token_are_enforced() {
    let c = TestCoop::start();
    let ada = Browser::new(&c, None);
    ada.sign_in_and_reload(&c.admin).await;
    let m = schedule(&ada, &[("title", "Guarded"), ("kind", "committee"), ("starts", "2031-05-05T09:00"), ("minutes_long", "45")], "The meeting is scheduled.")
        .await;
    let ben = Browser::new(&c, None);
    ben.sign_in_and_reload(&c.member).await;
    let page = ben.get(&m).await;
    page.assert_status(200).assert_lacks(r#"id="attendance-form""#).assert_lacks(r#"id="item-form""#).assert_lacks(r#"id="roles-form""#);
    page.assert_contains(r#"id="suggest-form""#);
    let csrf = page.csrf();

    // A plain member may not schedule, add items, record attendance or circulate.
    ben.post("/meetings", &[("csrf_token", &csrf), ("title", "Mine"), ("kind", "general"), ("starts", "2031-05-05T09:00"), ("minutes_long", "45")])
        .await
        .assert_status(403);
    ben.post(&format!("{m}/items"), &[("csrf_token", &csrf), ("title", "Sneaky")]).await.assert_status(403);
    let key = format!("a-{}", c.member.id);
    ben.post(&format!("{m}/attendance"), &[("csrf_token", &csrf), (&key, "present")]).await.assert_status(403);
    ben.post(&format!("{m}/circulate"), &[("csrf_token", &csrf)]).await.assert_status(403);

    // Without the form token: refused, nothing suggested.
    ben.post(&format!("{m}/suggest"), &[("title", "No token")]).await.assert_status(403).assert_contains("form");
    ada.post(&format!("{m}/items"), &[("title", "No token either")]).await.assert_status(403);
    let page = ada.get(&m).await;
    page.assert_lacks("No token").assert_contains("The agenda has no items yet.");
    assert_eq!(text_of(&page, "count-present", "dd"), "0");

    // In Arabic the pages read right to left, in Arabic.
    let sami = Browser::new(&c, Some("ar"));
    sami.sign_in_and_reload(&c.candidate).await;
    let page = sami.get(&m).await;
    page.assert_status(200).assert_contains(r#"dir="rtl""#).assert_contains("جدول الأعمال").assert_contains("اقتراح بند").assert_lacks("Suggest an item");

    // An unknown meeting is a 404 page.
    ada.get("/meetings/999999").await.assert_status(404);

    // Pages: no inline script or style, every input labelled, every header cell scoped.
    for (path, page) in
        [("/meetings", ada.get("/meetings").await), (m.as_str(), ada.get(&m).await), ("member view", ben.get(&m).await), ("/", ben.get("/").await)]
    {
        let html = &page.html;
        assert!(!html.contains("style=") && !html.contains("<style"), "{path}");
        for (i, _) in html.match_indices("<input ").chain(html.match_indices("<select ")).chain(html.match_indices("<textarea ")) {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            if tag.contains(r#"type="hidden""#) {
                continue;
            }
            let id = attr_after(tag, r#"id=""#).unwrap_or_else(|| panic!("{path}: a field without id: {tag}"));
            assert!(html.contains(&format!(r#"<label for="{id}">"#)), "{path}: no label for {id}");
        }
        assert!(!html.contains("<th>"), "{path}: every header cell has a scope");
        for (i, _) in html.match_indices("<form method=\"post\"") {
            let form = &html[i..i + html[i..].find("</form>").unwrap()];
            assert!(form.contains(r#"name="csrf_token""#), "{path}: a form without the token: {form}");
        }
    }
}

#[tokio::test]
async fn minutes_approved_by_a_show_of_hands_at_the_next_meeting() {
    let c = TestCoop::start();
    let ada = Browser::new(&c, None);
    ada.sign_in_and_reload(&c.admin).await;
    ada.set_class("hands", HANDS, &["member"], "live").await;
    let april =
        schedule(&ada, &[("title", "April general"), ("kind", "general"), ("starts", "2031-04-01T19:00"), ("minutes_long", "60")], "The meeting is scheduled.")
            .await;
    let may =
        schedule(&ada, &[("title", "May general"), ("kind", "general"), ("starts", "2031-05-06T19:00"), ("minutes_long", "60")], "The meeting is scheduled.")
            .await;
    let may_id = may.trim_start_matches("/meetings/").to_string();
    submit(&ada, &april, &format!("{april}/items"), &[("title", "Rota"), ("notes", "Agreed as proposed.")]).await;
    submit(&ada, &april, &format!("{april}/circulate"), &[]).await;

    // The form offers the other meeting; the proposal opens and its page says what it does.
    let page = ada.get(&april).await;
    assert!(page.html.contains(&format!(r#"<option value="{may_id}">May general ("#)), "{}", page.html);
    let csrf = page.csrf();
    let opened =
        ada.post(&format!("{april}/propose-approval"), &[("csrf_token", csrf.as_str()), ("class", "hands"), ("at_meeting", &may_id), ("closes", "")]).await;
    assert_eq!(opened.status, 303, "{}", opened.html);
    let proposal = opened.location();
    let pid = proposal.trim_start_matches("/decisions/").to_string();
    ada.follow(&opened).await.assert_contains("The proposal to approve the minutes is open.").assert_contains("Approve the minutes of April general");
    // Approving a meeting's minutes at itself is refused on the form.
    let refused = ada
        .post(
            &format!("{april}/propose-approval"),
            &[("csrf_token", csrf.as_str()), ("class", "hands"), ("at_meeting", april.trim_start_matches("/meetings/"))],
        )
        .await;
    refused.assert_status(422).assert_contains("at a later meeting");

    // At the May meeting: hands counted (through the CLI) with both members present.
    let page = ada.get(&may).await;
    assert!(text_of(&page, &format!("decision-{pid}"), "tr").contains("by a show of hands here"));
    let form = [(format!("a-{}", c.admin.id), "present"), (format!("a-{}", c.member.id), "present")];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    submit(&ada, &may, &format!("{may}/attendance"), &form).await;
    common::coop(&c.data(), &["proposal", "count", &pid, "--yes", "2", "--no", "0", "--abstain", "0"], None);

    // April's minutes are approved and sealed by that proposal.
    let page = ada.get(&april).await;
    assert_eq!(text_of(&page, "minutes-status", "dd"), "Approved and sealed");
    let seal = text_of(&page, "seal", "dl");
    assert!(seal.contains(&format!("Approved byProposal {pid}")), "{seal}");
    assert!(page.html.contains(&format!(r#"<a href="/decisions/{pid}">Proposal {pid}</a>"#)));
    assert_eq!(text_of(&page, "sealed-hash", "code").len(), 64);
    page.assert_lacks(r#"id="approval-form""#);
}

#[tokio::test]
async fn times_are_typed_and_shown_in_the_coops_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::coop(&data, &["init", "--name", "Night Bakery", "--timezone", "America/New_York"], None);
    let ada = add_member(&data, "Ada Admin", "ada@example.org", "member", &["admin"], Some("ada-password-1"));
    let server = common::Server::start(&data);
    let b = Browser {
        base: server.base.clone(),
        client: reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap(),
    };
    b.sign_in_and_reload(&ada).await;
    b.get("/meetings").await.assert_contains("Starts at (America/New_York)");
    // 19:00 in New York in March 2031 (after the clocks change) is 23:00 UTC.
    let m =
        schedule(&b, &[("title", "Evening general"), ("kind", "general"), ("starts", "2031-03-14T19:00"), ("minutes_long", "60")], "The meeting is scheduled.")
            .await;
    let page = b.get(&m).await;
    page.assert_contains("When (America/New_York)").assert_contains("14 Mar 2031 19:00 – 14 Mar 2031 20:00");
    let ics = b.get(&format!("{m}/export.ics")).await;
    assert!(ics.html.contains("DTSTART:20310314T230000Z"), "{}", ics.html);
    let list = b.get("/meetings").await;
    assert!(text_of(&list, "upcoming-table", "table").contains("Evening general General meeting 14 Mar 2031 19:00"));
}
