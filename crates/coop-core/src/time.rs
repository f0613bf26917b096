//! Instants and dates as the store and the journal write them.
//!
//! Instants are stored as RFC 3339 UTC text with exactly six fractional digits, so that text
//! order is time order and a journal entry's hashed text never depends on how a library
//! chooses to print a timestamp.

use jiff::{civil::Date, Timestamp};

/// The one textual form of an instant: `2026-11-28T16:05:00.123456Z`. A finer instant is
/// cut down to the microsecond before it (also before 1970, where rounding toward zero would
/// go up), so the text never names a later instant than the one it stands for.
pub fn instant_text(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses an instant written by [`instant_text`] or any RFC 3339 text, from the year 0000 on.
///
/// Earlier instants are refused: [`instant_text`] would store one as `-9998-...`, which is not
/// RFC 3339 and would not read back.
pub fn parse_instant(s: &str) -> Result<Timestamp, String> {
    let ts = s.parse::<Timestamp>().map_err(|e| format!("{s:?} is not an RFC 3339 instant: {e}"))?;
    if ts.to_zoned(jiff::tz::TimeZone::UTC).year() < 0 {
        return Err(format!("{s:?} is before the year 0000: write an instant such as 2026-11-28T16:05:00Z"));
    }
    Ok(ts)
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
    fn instants_before_year_zero_are_refused() {
        // Found by fuzzing (fuzz/fuzz_targets/values.rs): accepted, then stored as
        // "-9998-01-01T00:00:00.000000Z", which does not read back.
        for early in ["-009998-01-01T00:00:00Z", "0000-01-01T00:00:00+01:00"] {
            assert!(parse_instant(early).unwrap_err().contains("before the year 0000"), "{early}");
        }
        let first = parse_instant("0000-01-01T00:00:00Z").unwrap();
        assert_eq!(parse_instant(&instant_text(first)).unwrap(), first);
        let last = parse_instant("9999-12-30T22:00:00Z").unwrap();
        assert_eq!(parse_instant(&instant_text(last)).unwrap(), last);
    }

    #[test]
    fn instants_are_cut_down_to_the_microsecond_before_them() {
        // Found by fuzzing: before 1970 the text and `as_microsecond` (which rounds toward
        // zero) disagreed by one microsecond. The text is the floor.
        for (given, stored) in [
            ("0999-12-31T23:59:59.999999999Z", "0999-12-31T23:59:59.999999Z"),
            ("1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.999999Z"),
            ("2026-11-28T16:05:00.1234569Z", "2026-11-28T16:05:00.123456Z"),
        ] {
            let t = parse_instant(given).unwrap();
            assert_eq!(instant_text(t), stored, "{given}");
            let back = parse_instant(stored).unwrap();
            assert!(back <= t && t.as_nanosecond() - back.as_nanosecond() < 1000, "{given}");
        }
    }

    #[test]
    fn dates_must_be_iso() {
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("28/11/2026").is_err());
        assert!(parse_date("2026-1-1").is_err());
        assert_eq!(parse_date("2026-11-28").unwrap().to_string(), "2026-11-28");
    }
}
