//! Reading `application/x-www-form-urlencoded` bodies and query strings.
//!
//! Hand-rolled rather than `serde_urlencoded` because forms repeat keys (the role
//! checkboxes), and because a form drawn again must keep exactly what the person typed,
//! including values that do not parse.

use coop_core::member::{MemberState, Role};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// The pairs of a form or a query string, in order.
#[derive(Clone, Debug, Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(input: &[u8]) -> FormData {
        FormData(
            input
                .split(|b| *b == b'&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let mut it = pair.splitn(2, |b| *b == b'=');
                    let key = decode(it.next().unwrap_or_default());
                    let value = decode(it.next().unwrap_or_default());
                    (key, value)
                })
                .collect(),
        )
    }

    pub fn from_query(query: Option<&str>) -> FormData {
        FormData::parse(query.unwrap_or_default().as_bytes())
    }

    /// The first value of `key`, or "" when absent.
    pub fn get(&self, key: &str) -> &str {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// The first value of `key`, trimmed, when it is not empty.
    pub fn opt(&self, key: &str) -> Option<&str> {
        Some(self.get(key).trim()).filter(|v| !v.is_empty())
    }

    /// Every value of `key` (checkboxes).
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    /// The first value of each key, to draw a form again as it was sent. Secrets are left out.
    pub fn values(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (k, v) in &self.0 {
            if k.contains("password") || k == "csrf_token" {
                continue;
            }
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        out
    }
}

/// Percent-decoding with `+` as a space; invalid UTF-8 becomes U+FFFD.
fn decode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => {
                let hex = std::str::from_utf8(&input[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A query string from pairs, leaving out empty values.
pub fn query(pairs: &[(&str, String)]) -> String {
    pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

/// Why a form value could not be read: the field and a message key.
pub struct BadField {
    pub field: &'static str,
    pub key: &'static str,
}

/// An optional `YYYY-MM-DD` date field.
pub fn date(form: &FormData, field: &'static str) -> Result<Option<Date>, BadField> {
    match form.opt(field) {
        None => Ok(None),
        Some(text) => coop_core::time::parse_date(text).map(Some).map_err(|_| BadField { field, key: "form-invalid-date" }),
    }
}

/// A required state field.
pub fn state(form: &FormData, field: &'static str) -> Result<MemberState, BadField> {
    MemberState::parse(form.get(field)).map_err(|_| BadField { field, key: "form-invalid-state" })
}

/// The checked roles; unknown values are refused rather than dropped.
pub fn roles(form: &FormData, field: &'static str) -> Result<Vec<Role>, BadField> {
    let mut roles = Vec::new();
    for v in form.all(field) {
        let r = Role::parse(v).map_err(|_| BadField { field, key: "form-invalid-role" })?;
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    roles.sort();
    Ok(roles)
}

/// A local path to return to after sign-in: starts with one "/" (never "//" or "/\", which
/// browsers read as another host); anything else gives "/".
pub fn local_next(next: &str) -> String {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") && !next.chars().any(|c| c.is_control());
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_keys_and_escapes() {
        let f = FormData::parse(b"name=Sam+Lee&roles=admin&roles=secretary&email=sam%40example.org&x=%E2%9C%93&bad=%zz&end=%4");
        assert_eq!(f.get("name"), "Sam Lee");
        assert_eq!(f.all("roles"), vec!["admin", "secretary"]);
        assert_eq!(f.get("email"), "sam@example.org");
        assert_eq!(f.get("x"), "✓");
        assert_eq!(f.get("bad"), "%zz");
        assert_eq!(f.get("end"), "%4");
        assert_eq!(f.get("missing"), "");
        assert_eq!(f.opt("missing"), None);
    }

    #[test]
    fn arabic_round_trips() {
        let name = "سامي علي";
        let f = FormData::parse(format!("name={}", encode(name)).as_bytes());
        assert_eq!(f.get("name"), name);
    }

    #[test]
    fn next_stays_local() {
        assert_eq!(local_next("/members?q=a"), "/members?q=a");
        assert_eq!(local_next("//evil.example"), "/");
        assert_eq!(local_next("/\\evil.example"), "/");
        assert_eq!(local_next("https://evil.example/"), "/");
        assert_eq!(local_next(""), "/");
    }

    #[test]
    fn values_leave_out_secrets() {
        let f = FormData::parse(b"name=A&password=secret&csrf_token=t&new_password=x");
        let v = f.values();
        assert_eq!(v.get("name").map(String::as_str), Some("A"));
        assert!(!v.contains_key("password") && !v.contains_key("csrf_token") && !v.contains_key("new_password"));
    }
}
