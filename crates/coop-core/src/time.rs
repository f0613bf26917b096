//! Instants and dates as the store and the journal write them.
//!
//! Instants are stored as RFC 3339 UTC text with exactly six fractional digits, so that text
//! order is time order and a journal entry's hashed text never depends on how a library
//! chooses to print a timestamp.

use jiff::{civil::Date, Timestamp};

/// The one textual form of an instant: `2026-11-28T16:05:00.123456Z`.
pub fn instant_text(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses an instant written by [`instant_text`] or any RFC 3339 text.
pub fn parse_instant(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>().map_err(|e| format!("{s:?} is not an RFC 3339 instant: {e}"))
}

/// Parses a `YYYY-MM-DD` date with a message a person can act on.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    if s.len() != 10 {
        return Err(format!("{s:?} is not a date (expected YYYY-MM-DD)"));
    }
    s.parse::<Date>().map_err(|_| format!("{s:?} is not a date (expected YYYY-MM-DD)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instant_text_is_fixed_width_and_round_trips() {
        let ts: Timestamp = "2026-03-29T01:30:00Z".parse().unwrap();
        let text = instant_text(ts);
        assert_eq!(text, "2026-03-29T01:30:00.000000Z");
        assert_eq!(parse_instant(&text).unwrap(), ts);
    }

    #[test]
    fn dates_must_be_iso() {
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("28/11/2026").is_err());
        assert!(parse_date("2026-1-1").is_err());
        assert_eq!(parse_date("2026-11-28").unwrap().to_string(), "2026-11-28");
    }
}
