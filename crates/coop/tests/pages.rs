//! Black-box tests of the HTML pages: the real `coop` binary, prepared with the CLI and
//! served on a free port, driven with reqwest like a browser without JavaScript (a cookie
//! store, forms posted as `application/x-www-form-urlencoded`, redirects followed by hand so
//! that each one can be checked).

mod common;

use common::browser::{attr_after, Browser};
use common::{add_member, coop, Account, TestCoop, COOP_NAME};

/// The head hash that `coop journal verify` prints ("ok <entries> <head>").
fn cli_head(c: &TestCoop) -> String {
    let out = coop(&c.data(), &["journal", "verify"], None);
    let mut words = out.split_whitespace();
    assert_eq!(words.next(), Some("ok"), "journal verify printed {out:?}");
    words.nth(1).unwrap_or_else(|| panic!("no head in {out:?}")).to_string()
}

#[tokio::test]
async fn signed_out_visitors_sign_in_through_the_form_and_out_again() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);

    let home = b.get("/").await;
    home.assert_status(303);
    assert_eq!(home.location(), "/login?next=/");
    let deep = b.get("/members?q=ada").await;
    assert!(deep.location().starts_with("/login?next=/members"), "{}", deep.location());

    let form = b.get("/login?next=/journal").await;
    form.assert_status(200);
    let csrf_cookie = form.set_cookies().into_iter().find(|c| c.starts_with("coop_login_csrf=")).expect("the login form sets its CSRF cookie");
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"), "{csrf_cookie}");
    let token = form.csrf();
    assert!(csrf_cookie.starts_with(&format!("coop_login_csrf={token}")), "the field equals the cookie: {csrf_cookie} vs {token}");
    assert!(form.html.contains(r#"<label for="login-email">"#) && form.html.contains(r#"id="login-email""#));
    assert_eq!(attr_after(&form.html, r#"name="next" value=""#).as_deref(), Some("/journal"));

    // A wrong password: 401, the form again with the email kept, and no session.
    let ada = &coop.admin;
    let wrong = b.post("/login", &[("csrf_token", &token), ("next", "/"), ("email", &ada.email), ("password", "not her password")]).await;
    wrong.assert_status(401).assert_contains("Wrong email or password.").assert_contains(&format!(r#"value="{}""#, ada.email));
    assert!(wrong.set_cookies().iter().all(|c| !c.starts_with("coop_session=")));

    // Without the form's token the sign-in is refused even with the right password.
    let forged = b.post("/login", &[("email", &ada.email), ("password", &ada.password)]).await;
    forged.assert_status(403).assert_contains("The form expired");
    assert!(forged.set_cookies().iter().all(|c| !c.starts_with("coop_session=")));

    // The right password: a safe session cookie and back to where the visitor was going.
    let ok = b.post("/login", &[("csrf_token", &token), ("next", "/journal"), ("email", &ada.email), ("password", &ada.password)]).await;
    ok.assert_status(303);
    assert_eq!(ok.location(), "/journal");
    let session = ok.set_cookies().into_iter().find(|c| c.starts_with("coop_session=")).expect("a session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"), "{session}");
    let journal = b.follow(&ok).await;
    journal.assert_status(200).assert_contains("Signed in as Ada Admin").assert_contains(r#"aria-current="page">Journal</a>"#);

    // Signing out is a POST with the session's token; afterwards the pages ask to sign in.
    let csrf = journal.csrf();
    b.post("/logout", &[]).await.assert_status(403);
    let out = b.post("/logout", &[("csrf_token", &csrf)]).await;
    out.assert_status(303);
    assert_eq!(out.location(), "/login");
    assert_eq!(b.get("/").await.status, 303);

    // `next` never leads to another site.
    let b2 = Browser::new(&coop, None);
    let token = b2.get("/login").await.csrf();
    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let answer = b2.post("/login", &[("csrf_token", &token), ("next", evil), ("email", &ada.email), ("password", &ada.password)]).await;
        assert_eq!(answer.location(), "/", "next={evil}");
    }
}

#[tokio::test]
async fn a_post_without_the_form_token_is_refused_and_changes_nothing() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);
    b.sign_in(&coop.admin).await;
    let head = cli_head(&coop);
    let form = [("name", "Eve Forged"), ("email", "eve@example.org"), ("state", "member")];
    let missing = b.post("/members/new", &form).await;
    missing.assert_status(403).assert_contains("The form expired. Reload the page and try again.");
    let mut wrong = form.to_vec();
    wrong.push(("csrf_token", "0000"));
    b.post("/members/new", &wrong).await.assert_status(403);
    for path in ["/settings", "/account/tokens", "/account/language", &format!("/members/{}/roles", coop.member.id), "/logout"] {
        b.post(path, &[("name", "x"), ("label", "x"), ("language", "ar")]).await.assert_status(403);
    }
    assert_eq!(cli_head(&coop), head, "a refused form writes nothing to the journal");
    b.get("/members").await.assert_status(200).assert_lacks("Eve Forged");
    // Still signed in: the refused sign-out did not sign out.
    b.get("/").await.assert_status(200);
}

#[tokio::test]
async fn admins_see_the_management_forms_and_plain_members_do_not() {
    let coop = TestCoop::start();
    let admin = Browser::new(&coop, None);
    admin.sign_in(&coop.admin).await;
    let ben_page = format!("/members/{}", coop.member.id);

    admin.get("/members").await.assert_status(200).assert_contains(r#"href="/members/new""#).assert_contains("Ben Baker");
    admin
        .get(&ben_page)
        .await
        .assert_status(200)
        .assert_contains(r#"id="change-state-form""#)
        .assert_contains(r#"id="roles-form""#)
        .assert_contains("reset-link");
    admin.get("/members/new").await.assert_status(200);
    admin.get("/settings").await.assert_status(200).assert_contains(COOP_NAME);
    admin.get("/").await.assert_contains(r#"href="/settings""#);

    let ben = Browser::new(&coop, None);
    let home = ben.sign_in(&coop.member).await;
    home.assert_lacks(r#"href="/settings""#);
    ben.get("/members").await.assert_status(200).assert_lacks(r#"href="/members/new""#).assert_contains("Ada Admin");
    let ada_page = ben.get(&format!("/members/{}", coop.admin.id)).await;
    ada_page.assert_status(200).assert_lacks("change-state-form").assert_lacks("roles-form").assert_lacks("reset-link").assert_lacks("/edit\"");
    // Their own page offers the edit link (a member may edit their profile).
    ben.get(&ben_page).await.assert_contains(&format!(r#"href="{ben_page}/edit""#)).assert_lacks("change-state-form");

    // Hiding is cosmetic: asking anyway is refused by the use case's policy.
    ben.get("/members/new").await.assert_status(403).assert_contains("You are not allowed to do this.");
    ben.get("/settings").await.assert_status(403);
    ben.get(&format!("/members/{}/edit", coop.admin.id)).await.assert_status(403);
    let csrf = ben.get("/members").await.csrf();
    let head = cli_head(&coop);
    let refused = ben
        .post("/members/new", &[("csrf_token", &csrf), ("name", "Mallory"), ("email", "mallory@example.org"), ("state", "member"), ("roles", "admin")])
        .await;
    refused.assert_status(403);
    ben.post(&format!("/members/{}/state", coop.admin.id), &[("csrf_token", &csrf), ("state", "departed")]).await.assert_status(403);
    ben.post(&format!("/members/{}/roles", coop.member.id), &[("csrf_token", &csrf), ("roles", "admin")]).await.assert_status(403);
    assert_eq!(cli_head(&coop), head, "nothing was written");
    admin.get("/members").await.assert_lacks("Mallory");
}

#[tokio::test]
async fn an_admin_adds_a_member_through_the_form_and_the_list_shows_them() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);
    b.sign_in(&coop.admin).await;
    let csrf = b.get("/members/new").await.csrf();

    // A bad date and a bad email: 422, the form again with what was typed and the messages.
    let bad = b
        .post(
            "/members/new",
            &[("csrf_token", &csrf), ("name", "Dora Designer"), ("email", "dora"), ("state", "candidate"), ("since", "2026-13-40"), ("roles", "secretary")],
        )
        .await;
    bad.assert_status(422).assert_contains(r#"value="Dora Designer""#).assert_contains("Enter a date as YYYY-MM-DD");
    assert!(bad.html.contains(r#"value="secretary" checked"#), "the ticked role stays ticked");
    assert!(bad.html.contains(r#"aria-invalid="true""#));
    let bad = b.post("/members/new", &[("csrf_token", &csrf), ("name", "Dora Designer"), ("email", "dora"), ("state", "candidate")]).await;
    bad.assert_status(422).assert_contains("is not an email address").assert_contains(r#"id="new-email-error""#);

    let added = b
        .post(
            "/members/new",
            &[
                ("csrf_token", &csrf),
                ("name", "Dora Designer"),
                ("email", "dora@example.org"),
                ("state", "candidate"),
                ("since", "2026-01-10"),
                ("planned_end", ""),
                ("note", "Starts in the studio"),
                ("roles", "secretary"),
                ("language", "ar"),
                ("password", ""),
            ],
        )
        .await;
    added.assert_status(303);
    assert_eq!(added.location(), "/members");
    let list = b.follow(&added).await;
    list.assert_status(200).assert_contains("Dora Designer was added.").assert_contains("dora@example.org").assert_contains("Secretary");
    assert!(list.html.contains(r#"role="status""#), "the message is announced");
    // The message is shown once.
    b.get("/members").await.assert_lacks("was added.");

    // Search and state filter, without JavaScript.
    b.get("/members?q=dora").await.assert_contains("Dora Designer").assert_lacks("Ben Baker");
    b.get("/members?state=candidate").await.assert_contains("Dora Designer").assert_contains("Cleo Candidate").assert_lacks("ada@example.org");
    // With htmx: only the results, and the count for the live region.
    let fragment = b.get_with("/members?q=dora", ("HX-Request", "true")).await;
    fragment.assert_status(200).assert_contains("Dora Designer").assert_lacks("<html").assert_contains("hx-swap-oob").assert_lacks("Ben Baker");

    // Their page: the candidacy with its planned end (9 months by default), the note, the seal.
    let row = list.text();
    let at = row.find(">Dora Designer<").expect("a link to Dora");
    let href_start = row[..at].rfind("href=\"").unwrap() + 6;
    let href = &row[href_start..at - 1];
    let page = b.get(href).await;
    page.assert_status(200).assert_contains("10 Jan 2026").assert_contains("10 Oct 2026").assert_contains("Starts in the studio").assert_contains("Candidate");

    // The same email again is a conflict shown on the form.
    let dup = b.post("/members/new", &[("csrf_token", &csrf), ("name", "Dora Two"), ("email", "dora@example.org"), ("state", "member")]).await;
    dup.assert_status(409).assert_contains("already exists").assert_contains(r#"value="Dora Two""#);

    // Moving her on: candidate -> member, through the change-state form.
    let moved = b.post(&format!("{href}/state"), &[("csrf_token", &csrf), ("state", "member"), ("on", "2026-10-10"), ("note", "Admitted by consensus")]).await;
    let page = b.follow(&moved).await;
    page.assert_contains("The state was changed.").assert_contains("Admitted by consensus");
    // An impossible move (member -> candidate) comes back as 422 on the same form.
    let refused = b.post(&format!("{href}/state"), &[("csrf_token", &csrf), ("state", "candidate"), ("on", "2026-10-11")]).await;
    refused.assert_status(422).assert_contains("cannot become");
}

#[tokio::test]
async fn arabic_pages_are_right_to_left_and_a_member_choice_wins() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, Some("ar,en;q=0.5"));
    let login = b.get("/login").await;
    login.assert_status(200).assert_contains(r#"<html lang="ar" dir="rtl">"#).assert_contains("تسجيل الدخول");
    let home = b.sign_in(&coop.member).await;
    home.assert_contains(r#"<html lang="ar" dir="rtl">"#)
        .assert_contains("الأعضاء")
        .assert_contains("لوحة المتابعة")
        .assert_contains("تم تسجيل الدخول باسم Ben Baker");
    home.assert_lacks(">Members<").assert_lacks(">Dashboard<");
    b.get("/members").await.assert_contains(r#"aria-current="page">الأعضاء</a>"#).assert_contains("عضو");
    b.get("/decisions").await.assert_contains("المقترحات المفتوحة للتصويت");
    b.get("/meetings").await.assert_contains(r#"aria-current="page">الاجتماعات</a>"#).assert_contains("الاجتماعات القادمة");
    b.get("/policies").await.assert_contains("سيتوفر هذا القسم في إصدار قادم.");

    // English chosen in the account wins over the browser's Arabic.
    let csrf = home.csrf();
    let saved = b.post("/account/language", &[("csrf_token", &csrf), ("language", "en")]).await;
    let account = b.follow(&saved).await;
    account.assert_contains(r#"<html lang="en" dir="ltr">"#).assert_contains("Your language was saved.");
    // And "the co-op's default" hands the choice back to the browser.
    let csrf = account.csrf();
    let cleared = b.post("/account/language", &[("csrf_token", &csrf), ("language", "")]).await;
    b.follow(&cleared).await.assert_contains(r#"dir="rtl""#);

    // Without Accept-Language, a visitor sees the co-op's default language (English here).
    Browser::new(&coop, None).get("/login").await.assert_contains(r#"<html lang="en" dir="ltr">"#);
}

#[tokio::test]
async fn every_page_shows_the_journal_head_that_the_cli_verifies() {
    let coop = TestCoop::start();
    let anon = Browser::new(&coop, None);
    let head = cli_head(&coop);
    let footer = anon.get("/login").await.footer();
    assert!(footer.contains(&head), "the sign-in page shows the head {head}: {footer}");

    let b = Browser::new(&coop, None);
    b.sign_in(&coop.admin).await; // signing in is journaled: the head moves
    let head = cli_head(&coop);
    for path in ["/", "/members", "/journal", "/account", "/work", "/settings", "/no-such-page"] {
        let page = b.get(path).await;
        let footer = page.footer();
        assert!(footer.contains(&format!("Journal head: {head}")), "{path}: footer {footer:?} lacks {head}");
        assert!(footer.contains(COOP_NAME), "{path}: {footer}");
    }
    // The journal page verifies the chain like the CLI does.
    let verified = b.get("/journal/verify").await;
    verified.assert_status(200).assert_contains("The journal verifies:");
    assert!(verified.html.contains(r#"id="verify-result""#));
}

#[tokio::test]
async fn pages_carry_no_inline_script_or_style() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);
    let mut pages = vec![("/login".to_string(), b.get("/login").await)];
    b.sign_in(&coop.admin).await;
    let member = format!("/members/{}", coop.member.id);
    for path in [
        "/",
        "/members",
        "/members/new",
        member.as_str(),
        &format!("{member}/edit"),
        "/journal",
        "/journal/verify",
        "/account",
        "/settings",
        "/decisions",
        "/meetings",
        "/work",
        "/money",
        "/policies",
        "/members/9999",
        "/nowhere",
    ] {
        pages.push((path.to_string(), b.get(path).await));
    }
    for (path, page) in &pages {
        let html = &page.html;
        assert!(html.starts_with("<!doctype html>"), "{path}");
        assert!(!html.contains("style="), "{path} has a style attribute");
        assert!(!html.contains("<style"), "{path} has a style element");
        assert!(!has_event_handler(html), "{path} has an inline event handler");
        for (i, _) in html.match_indices("<script") {
            let rest = &html[i..];
            let close = rest.find('>').unwrap();
            assert!(rest[..close].contains(" src=\"/static/"), "{path}: a script without src: {}", &rest[..close]);
            assert!(rest[close + 1..].starts_with("</script>"), "{path}: a script with a body");
        }
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(page.header("cache-control").as_deref(), Some("no-store"), "{path}");
        // Every input but hidden ones and buttons has a label pointing at it.
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
}

/// Whether an `on...=` attribute (onclick, onload...) appears inside a tag.
fn has_event_handler(html: &str) -> bool {
    html.split('<').skip(1).any(|tag| {
        let tag = tag.split('>').next().unwrap_or("");
        tag.split_whitespace().skip(1).any(|attr| attr.starts_with("on") && attr.contains('='))
    })
}

#[tokio::test]
async fn a_reset_link_from_an_admin_sets_a_new_password_once() {
    let coop = TestCoop::start();
    let admin = Browser::new(&coop, None);
    admin.sign_in(&coop.admin).await;
    let ben_page = format!("/members/{}", coop.member.id);
    let csrf = admin.get(&ben_page).await.csrf();
    let issued = admin.post(&format!("{ben_page}/reset-link"), &[("csrf_token", &csrf)]).await;
    let page = admin.follow(&issued).await;
    let text = page.text();
    let prefix = format!("{}/reset/", coop.server.base);
    let at = text.find(&prefix).unwrap_or_else(|| panic!("no link {prefix} in {text}"));
    let link: String = text[at..].chars().take_while(|c| !c.is_whitespace() && *c != '<').collect();
    page.assert_contains("valid for 24 hours");
    admin.get(&ben_page).await.assert_lacks(&link);

    let path = link.strip_prefix(&coop.server.base).unwrap();
    let stranger = Browser::new(&coop, None);
    let form = stranger.get(path).await;
    form.assert_status(200).assert_contains("Choose a new password");
    let token = form.csrf();
    stranger.post(path, &[("password", "a brand new password")]).await.assert_status(403);
    stranger.post(path, &[("csrf_token", &token), ("password", "short")]).await.assert_status(422).assert_contains("at least 10 characters");
    let done = stranger.post(path, &[("csrf_token", &token), ("password", "a brand new password")]).await;
    stranger.follow(&done).await.assert_contains("Your password is set.");
    stranger.get(path).await.assert_status(404).assert_contains("invalid or has expired");
    let ben = Account { password: "a brand new password".into(), ..coop.member.clone() };
    Browser::new(&coop, None).sign_in(&ben).await.assert_contains("Signed in as Ben Baker");
}

#[tokio::test]
async fn the_account_page_changes_the_password_and_handles_tokens() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);
    let home = b.sign_in(&coop.member).await;
    let csrf = home.csrf();

    let wrong = b.post("/account/password", &[("csrf_token", &csrf), ("current_password", "nope"), ("new_password", "another long password")]).await;
    wrong.assert_status(422).assert_contains("the current password is not right").assert_contains(r#"id="current-password-error""#);
    let short = b.post("/account/password", &[("csrf_token", &csrf), ("current_password", &coop.member.password), ("new_password", "short")]).await;
    short.assert_status(422).assert_contains(r#"id="new-password-error""#);
    let changed =
        b.post("/account/password", &[("csrf_token", &csrf), ("current_password", &coop.member.password), ("new_password", "another long password")]).await;
    b.follow(&changed).await.assert_contains("Your password was changed.");

    let created = b.post("/account/tokens", &[("csrf_token", &csrf), ("label", "my script")]).await;
    let page = b.follow(&created).await;
    let text = page.text();
    let at = text.find("coop_").expect("the token is shown once");
    let token: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    page.assert_contains("my script").assert_contains("Active");
    b.get("/account").await.assert_lacks(&token);
    // The token opens the API.
    let api = reqwest::Client::new().get(format!("{}/api/v1/members", coop.server.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(api.status().as_u16(), 200);

    let id = attr_after(&page.html, r#"action="/account/tokens/"#).expect("a revoke form");
    let id = id.trim_end_matches("/revoke");
    let revoked = b.post(&format!("/account/tokens/{id}/revoke"), &[("csrf_token", &csrf)]).await;
    b.follow(&revoked).await.assert_contains("The token was revoked.").assert_contains("Revoked");
    let api = reqwest::Client::new().get(format!("{}/api/v1/members", coop.server.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(api.status().as_u16(), 401);
}

#[tokio::test]
async fn settings_are_saved_and_bad_values_are_shown_on_the_form() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);
    let home = b.sign_in(&coop.admin).await;
    let csrf = home.csrf();
    let mut form = vec![
        ("csrf_token", csrf.as_str()),
        ("name", "Renamed Co-op"),
        ("currency", "eur"),
        ("timezone", "Mars/Olympus"),
        ("fiscal_year_start", "04-01"),
        ("language", "en"),
        ("candidacy_months", "6"),
    ];
    let bad = b.post("/settings", &form).await;
    bad.assert_status(422).assert_contains("is not a known time zone").assert_contains(r#"value="Renamed Co-op""#);
    form[3] = ("timezone", "Africa/Cairo");
    let saved = b.post("/settings", &form).await;
    let page = b.follow(&saved).await;
    page.assert_contains("The settings were saved.").assert_contains(r#"value="EUR""#).assert_contains("Co-op: Renamed Co-op");
}

#[tokio::test]
async fn the_journal_pages_back_and_filters() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);
    let home = b.sign_in(&coop.member).await;
    let csrf = home.csrf();
    for i in 0..50 {
        let answer = b.post("/account/tokens", &[("csrf_token", &csrf), ("label", &format!("t{i}"))]).await;
        assert_eq!(answer.status, 303);
    }
    let first = b.get("/journal").await;
    first.assert_status(200).assert_contains("account.token_created").assert_contains("Ben Baker");
    let text = first.text();
    let at = text.find("/journal?before=").expect("a full page links to older entries");
    let older = text[at..].split('"').next().unwrap().to_string();
    let second = b.get(&older).await;
    second.assert_status(200).assert_contains("coop.init").assert_contains("Newest entries");
    let filtered = b.get("/journal?action=member.state").await;
    filtered.assert_contains("member.state").assert_lacks("account.token_created").assert_lacks("Older entries");
    let by_cli = b.get("/journal?actor=cli").await;
    by_cli.assert_contains("coop.init").assert_lacks("account.token_created");
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled_with_429() {
    let coop = TestCoop::start();
    let b = Browser::new(&coop, None);
    let token = b.get("/login").await.csrf();
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let page = b.post("/login", &[("csrf_token", &token), ("email", &coop.member.email), ("password", "guess-guess-guess")]).await;
        statuses.push(page.status);
        last = Some(page);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 429]);
    let last = last.unwrap();
    last.assert_contains("Too many failed attempts. Try again in").assert_contains(r#"value="ben@example.org""#);
    let retry: u64 = last.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!(last.text().contains(&format!("{retry} second")), "the page names the wait of {retry}s");
}

#[tokio::test]
async fn the_member_list_comes_in_pages_that_keep_the_search_and_filter() {
    let coop = TestCoop::start();
    // 3 members from the harness and 105 more: two pages of 100.
    for i in 0..105 {
        let state = if i % 5 == 0 { "candidate" } else { "member" };
        add_member(&coop.data(), &format!("Paged {i:03}"), &format!("paged{i:03}@example.org"), state, &[], None);
    }
    let b = Browser::new(&coop, None);
    b.sign_in(&coop.admin).await;

    let first = b.get("/members").await;
    first.assert_status(200).assert_contains("108 people").assert_contains("Page 1 of 2").assert_contains(r#"id="members-next""#).assert_lacks(r#"id="members-prev""#);
    assert_eq!(first.html.matches(r#"<th scope="row">"#).count(), 100, "a page holds 100 members");
    // Ordered by name: Ada, Ben, Cleo come before "Paged ..."; the last page holds the rest.
    first.assert_contains("ada@example.org").assert_lacks("paged097@example.org");
    let second = b.get("/members?page=2").await;
    second.assert_status(200).assert_contains("Page 2 of 2").assert_contains(r#"id="members-prev""#).assert_lacks(r#"id="members-next""#);
    assert_eq!(second.html.matches(r#"<th scope="row">"#).count(), 8);
    second.assert_contains("paged104@example.org").assert_lacks("ada@example.org");
    // A page past the last shows the last.
    b.get("/members?page=9").await.assert_contains("Page 2 of 2").assert_contains("paged104@example.org");

    // The filter counts across pages and the page links keep it.
    let candidates = b.get("/members?state=candidate").await;
    candidates.assert_contains("22 people").assert_lacks("Page 1 of");
    let found = b.get("/members?q=paged%2009").await;
    found.assert_contains("10 people").assert_contains("paged090@example.org").assert_lacks("ada@example.org");
    let members = b.get("/members?state=member").await;
    members.assert_contains("86 people").assert_lacks("Page 1 of").assert_lacks("members-next");
    let searched = b.get("/members?q=paged&state=member").await;
    searched.assert_contains("84 people");
    let all_paged = b.get("/members?q=paged").await;
    all_paged.assert_contains("105 people").assert_contains("Page 1 of 2").assert_contains(r#"href="/members?q=paged&page=2""#);
    b.get("/members?q=paged&page=2").await.assert_contains("Page 2 of 2").assert_contains("paged104@example.org").assert_lacks("paged000@example.org");
}
