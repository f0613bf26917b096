//! Email addresses: members are found by email in the CLI, imports and logins.

use std::fmt;

/// A syntactically plausible, lower-cased email address.
///
/// We do not try to implement RFC 5322: we refuse what is certainly wrong (no `@`, spaces,
/// an empty part, no dot in the domain) and compare addresses case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not an email address (expected name@example.org)")]
pub struct InvalidEmail(pub String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, InvalidEmail> {
        let s = raw.trim().to_lowercase();
        let bad = || InvalidEmail(raw.trim().to_string());
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases() {
        assert_eq!(Email::parse(" Ana@Example.ORG ").unwrap().as_str(), "ana@example.org");
    }

    #[test]
    fn refuses_malformed() {
        for bad in ["", "ana", "ana@", "@example.org", "ana@example", "a b@example.org", "a@b@c.org", "ana@.org", "ana@example..org"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
