//! The co-op's own settings: name, currency, time zone, fiscal year, language.

use serde::Serialize;

/// Settings as validated values. Build with [`CoopSettings::new`], which refuses bad input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoopSettings {
    pub name: String,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
    /// IANA time zone, e.g. `America/New_York`; instants are shown in it.
    pub timezone: String,
    /// `MM-DD`, the first day of the fiscal year.
    pub fiscal_year_start: String,
    /// `en` or `ar`: the language for people who have not chosen one.
    pub language: String,
    /// How long a candidacy lasts by default, in months.
    pub candidacy_months: i32,
}

/// Languages coop speaks.
pub const LANGUAGES: [&str; 2] = ["en", "ar"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{field}: {message}")]
pub struct InvalidSetting {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> InvalidSetting {
    InvalidSetting { field, message: message.into() }
}

impl CoopSettings {
    pub fn new(
        name: &str,
        currency: &str,
        timezone: &str,
        fiscal_year_start: &str,
        language: &str,
        candidacy_months: i32,
    ) -> Result<CoopSettings, InvalidSetting> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(invalid("name", "the co-op needs a name of 1 to 200 characters"));
        }
        let currency = currency.trim().to_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid("currency", format!("{currency:?} is not a three-letter currency code such as USD")));
        }
        let timezone = timezone.trim();
        if jiff::tz::TimeZone::get(timezone).is_err() {
            return Err(invalid("timezone", format!("{timezone:?} is not a known time zone (use Area/City, e.g. Europe/Berlin)")));
        }
        let fy = fiscal_year_start.trim();
        let valid_fy = fy.len() == 5
            && fy.as_bytes()[2] == b'-'
            && format!("2001-{fy}").parse::<jiff::civil::Date>().is_ok();
        if !valid_fy {
            return Err(invalid("fiscal_year_start", format!("{fy:?} is not a month and day (expected MM-DD, e.g. 01-01)")));
        }
        let language = language.trim().to_lowercase();
        if !LANGUAGES.contains(&language.as_str()) {
            return Err(invalid("language", format!("{language:?} is not a supported language (en or ar)")));
        }
        if !(0..=36).contains(&candidacy_months) {
            return Err(invalid("candidacy_months", "a candidacy lasts 0 to 36 months"));
        }
        Ok(CoopSettings {
            name: name.to_string(),
            currency,
            timezone: timezone.to_string(),
            fiscal_year_start: fy.to_string(),
            language,
            candidacy_months,
        })
    }

    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_each_field() {
        let ok = CoopSettings::new("Design Action", "usd", "America/Los_Angeles", "01-01", "en", 9).unwrap();
        assert_eq!(ok.currency, "USD");
        assert_eq!(CoopSettings::new(" ", "USD", "UTC", "01-01", "en", 9).unwrap_err().field, "name");
        assert_eq!(CoopSettings::new("x", "US", "UTC", "01-01", "en", 9).unwrap_err().field, "currency");
        assert_eq!(CoopSettings::new("x", "USD", "Mars/Base", "01-01", "en", 9).unwrap_err().field, "timezone");
        assert_eq!(CoopSettings::new("x", "USD", "UTC", "02-30", "en", 9).unwrap_err().field, "fiscal_year_start");
        assert_eq!(CoopSettings::new("x", "USD", "UTC", "1-1", "en", 9).unwrap_err().field, "fiscal_year_start");
        assert_eq!(CoopSettings::new("x", "USD", "UTC", "01-01", "fr", 9).unwrap_err().field, "language");
    }
}
