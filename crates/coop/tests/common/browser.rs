//! A browser without JavaScript for the page tests: reqwest with a cookie store, forms posted
//! as `application/x-www-form-urlencoded`, redirects followed by hand so that each one can be
//! checked; and [`Page`], a response as the server sent it, with helpers to read the HTML.
#![allow(dead_code)]

use super::{Account, TestCoop};
use reqwest::header::HeaderMap;
use reqwest::redirect::Policy;

/// A page as the server sent it.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().expect("ASCII header").to_string())
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
    }

    pub fn location(&self) -> String {
        self.header("location").unwrap_or_else(|| panic!("no Location; status {} body {}", self.status, self.html))
    }

    /// The session's CSRF token from the first form that carries one.
    pub fn csrf(&self) -> String {
        attr_after(&self.html, r#"name="csrf_token" value=""#).unwrap_or_else(|| panic!("no csrf_token in {}", self.html))
    }

    /// The text with HTML escapes undone (minijinja escapes `/` in values as `&#x2f;`).
    pub fn text(&self) -> String {
        unescape(&self.html)
    }

    /// The footer's text.
    pub fn footer(&self) -> String {
        let start = self.html.find("<footer").unwrap_or_else(|| panic!("no footer in {}", self.html));
        let end = self.html[start..].find("</footer>").expect("the footer closes") + start;
        unescape(&self.html[start..end])
    }

    /// The text of the element whose opening tag carries `id="ID"`, up to the next `</TAG>`.
    pub fn element(&self, id: &str, tag: &str) -> String {
        let text = self.text();
        let at = text.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no #{id} in:\n{}", self.html));
        let start = text[..at].rfind('<').unwrap();
        let end = text[at..].find(&format!("</{tag}>")).map(|e| e + at).unwrap_or(text.len());
        text[start..end].to_string()
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Page {
        assert_eq!(self.status, status, "status; body:\n{}", self.html);
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) -> &Page {
        assert!(self.text().contains(needle), "expected {needle:?} in:\n{}", self.html);
        self
    }

    #[track_caller]
    pub fn assert_lacks(&self, needle: &str) -> &Page {
        assert!(!self.text().contains(needle), "did not expect {needle:?} in:\n{}", self.html);
        self
    }
}

/// The value of the attribute whose opening (`name="x" value="`) is `prefix`.
pub fn attr_after(html: &str, prefix: &str) -> Option<String> {
    let i = html.find(prefix)? + prefix.len();
    let end = html[i..].find('"')? + i;
    Some(unescape(&html[i..end]))
}

pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/").replace("&#x27;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// A browser without JavaScript: keeps cookies, sends a language, does not follow redirects.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub fn new(coop: &TestCoop, accept_language: Option<&str>) -> Browser {
        let mut headers = HeaderMap::new();
        if let Some(lang) = accept_language {
            headers.insert("accept-language", lang.parse().unwrap());
        }
        let client = reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).default_headers(headers).build().unwrap();
        Browser { base: coop.server.base.clone(), client }
    }

    pub async fn read(res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let html = res.text().await.expect("a readable body");
        Page { status, headers, html }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::read(self.client.get(format!("{}{path}", self.base)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))).await
    }

    pub async fn get_with(&self, path: &str, header: (&str, &str)) -> Page {
        let res = self.client.get(format!("{}{path}", self.base)).header(header.0, header.1).send().await.unwrap();
        Self::read(res).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let res = self.client.post(format!("{}{path}", self.base)).form(form).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"));
        Self::read(res).await
    }

    /// Follows a 303 with a GET, as browsers do.
    pub async fn follow(&self, page: &Page) -> Page {
        assert_eq!(page.status, 303, "expected a redirect; body:\n{}", page.html);
        self.get(&page.location()).await
    }

    /// Signs in through the form (which must answer 200) and returns the page the redirect
    /// lands on (`/`).
    pub async fn sign_in(&self, who: &Account) -> Page {
        let form = self.get("/login").await;
        form.assert_status(200);
        let token = form.csrf();
        let answer = self.post("/login", &[("csrf_token", &token), ("next", "/"), ("email", &who.email), ("password", &who.password)]).await;
        assert_eq!(answer.status, 303, "sign-in of {}: {}", who.email, answer.html);
        let home = self.follow(&answer).await;
        home.assert_status(200);
        home
    }

    /// Signs in through the form, checks that the redirect lands on a 200, then loads `/`
    /// afresh and returns that.
    pub async fn sign_in_and_reload(&self, who: &Account) -> Page {
        let token = self.get("/login").await.csrf();
        let answer = self.post("/login", &[("csrf_token", &token), ("next", "/"), ("email", &who.email), ("password", &who.password)]).await;
        assert_eq!(answer.status, 303, "sign-in of {}: {}", who.email, answer.html);
        self.follow(&answer).await.assert_status(200);
        self.get("/").await
    }

    /// Sets a decision class through the admin form (before founding it applies at once).
    pub async fn set_class(&self, name: &str, rule: &str, eligible: &[&str], results: &str) -> Page {
        let csrf = self.get("/decisions/classes").await.csrf();
        let mut form = vec![("csrf_token", csrf.as_str()), ("name", name), ("rule", rule), ("results", results)];
        form.extend(eligible.iter().map(|e| ("eligible", *e)));
        let answer = self.post("/decisions/classes", &form).await;
        assert_eq!(answer.status, 303, "class {name}: {}", answer.html);
        self.follow(&answer).await
    }

    /// Opens a proposal through the form; returns its page path (`/decisions/ID`).
    pub async fn open_proposal(&self, class: &str, title: &str, body: &str, secret: bool) -> String {
        let form_page = self.get("/decisions/new").await;
        form_page.assert_status(200);
        let csrf = form_page.csrf();
        let closes = attr_after(&form_page.html, r#"name="closes" type="datetime-local" value=""#).expect("a default closing time");
        let mut form = vec![("csrf_token", csrf.as_str()), ("class", class), ("title", title), ("body", body), ("closes", closes.as_str())];
        if secret {
            form.push(("secret", "1"));
        }
        let answer = self.post("/decisions/new", &form).await;
        assert_eq!(answer.status, 303, "new proposal: {}", answer.html);
        let path = answer.location();
        assert!(path.starts_with("/decisions/") && path[11..].parse::<i64>().is_ok(), "{path}");
        self.follow(&answer).await.assert_status(200).assert_contains("The proposal is open for voting.");
        path
    }

    /// Creates an election through the form on `/decisions/elections`; returns its page path.
    pub async fn new_election(&self, title: &str, seats: &str, method: &str, candidates: &str) -> (String, Page) {
        let list = self.get("/decisions/elections").await;
        list.assert_status(200);
        let csrf = list.csrf();
        let closes = attr_after(&list.html, r#"name="closes" type="datetime-local" value=""#).expect("a default closing time");
        let form =
            [("csrf_token", csrf.as_str()), ("title", title), ("seats", seats), ("method", method), ("candidates", candidates), ("closes", closes.as_str())];
        let answer = self.post("/decisions/elections", &form).await;
        assert_eq!(answer.status, 303, "new election: {}", answer.html);
        let path = answer.location();
        assert!(path.starts_with("/decisions/elections/") && path[21..].parse::<i64>().is_ok(), "{path}");
        let page = self.follow(&answer).await;
        page.assert_status(200);
        (path, page)
    }

    /// Posts a ranking (`ranks[i]` for candidate i, "" for not ranked) through the ballot form.
    pub async fn rank(&self, path: &str, ranks: &[&str], receipt: Option<&str>) -> Page {
        let csrf = self.get(path).await.csrf();
        let names: Vec<String> = (0..ranks.len()).map(|i| format!("rank-{i}")).collect();
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
        form.extend(names.iter().map(String::as_str).zip(ranks.iter().copied()));
        if let Some(r) = receipt {
            form.push(("receipt", r));
        }
        self.post(&format!("{path}/ballot"), &form).await
    }
}
