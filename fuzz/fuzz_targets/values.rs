//! The small parsers of typed-in values, each run on the whole input and on each of its lines:
//! hours (one entry and totals), money, percentages, pay ratios, decision ratios, dates,
//! instants, emails, vote counts and the names of choices, methods, states and formats. An
//! accepted value stays in its range and, written back out, reads back the same.
#![no_main]
use coop_core::decision::{Base, Choice, Ratio, Status};
use coop_core::election::{Method, Votes};
use coop_core::email::Email;
use coop_core::hours::{parse_hours, parse_total_hours, MAX_ENTRY};
use coop_core::import::Format;
use coop_core::member::{MemberState, Role};
use coop_core::money::Money;
use coop_core::patronage::Percent;
use coop_core::pay::PayRatio;
use coop_core::time::{instant_text, parse_date, parse_instant};
use libfuzzer_sys::fuzz_target;

fn check(s: &str) {
    // Hours: one entry is 0 to 24 hours; the hours string reads back to the same minutes.
    let entry = parse_hours(s);
    if let Ok(m) = entry {
        assert!(m.get() >= 0 && m <= MAX_ENTRY, "{s:?} is {m:?}");
        assert_eq!(parse_hours(&m.to_hours_string()), Ok(m), "{s:?}: {m:?} written as {} reads differently", m.to_hours_string());
    }
    if let Ok(t) = parse_total_hours(s) {
        assert!(t.get() >= 0);
        assert_eq!(parse_total_hours(&t.to_hours_string()), Ok(t), "{s:?}: {t:?} written as {} reads differently", t.to_hours_string());
        // A total is read as an entry is, only refusing more.
        if t <= MAX_ENTRY {
            assert_eq!(entry, Ok(t), "{s:?} is a total of {t:?} but not the same entry");
        }
    }
    if let Ok(m) = Money::parse(s) {
        assert_eq!(Money::parse(&m.to_decimal()), Ok(m), "{s:?} written as {} reads differently", m.to_decimal());
    }
    if let Ok(p) = Percent::parse(s) {
        assert!(p <= Percent::HUNDRED);
        assert_eq!(Percent::parse(&p.to_string()).ok(), Some(p), "{s:?} written as {p} reads differently");
        assert_eq!(Percent::parse(&format!("{p}%")).ok(), Some(p));
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Percent>(&json).ok(), Some(p));
    }
    if let Ok(r) = PayRatio::parse(s) {
        assert!(r.den() >= 1 && r.num() >= r.den() && r.num() <= PayRatio::MAX_SIDE);
        let (mut a, mut b) = (r.num(), r.den());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        assert_eq!(a, 1, "{r} is not reduced");
        assert_eq!(PayRatio::parse(&r.to_string()).ok(), Some(r), "{s:?} written as {r} reads differently");
        assert_eq!(serde_json::from_str::<PayRatio>(&serde_json::to_string(&r).unwrap()).ok(), Some(r));
    }
    if let Ok(r) = Ratio::parse(s) {
        assert!(r.den() >= 1 && r.num() <= r.den());
        assert_eq!(Ratio::parse(&r.to_string()), Ok(r), "{s:?} written as {r} reads differently");
        assert_eq!(serde_json::from_str::<Ratio>(&serde_json::to_string(&r).unwrap()).ok(), Some(r));
        for n in [0u32, 1, 7, u32::MAX] {
            assert!(r.ceil_of(n) <= n);
            assert_eq!(r.reached_by(u64::from(r.ceil_of(n)), u64::from(n)), n > 0);
        }
    }
    if let Ok(d) = parse_date(s) {
        assert_eq!(parse_date(&d.to_string()), Ok(d), "{s:?} written as {d} reads differently");
    }
    if let Ok(t) = parse_instant(s) {
        // Stored with six fractional digits: what is stored reads back as the instant cut
        // down to the microsecond before it (the floor, also before 1970).
        let stored = instant_text(t);
        let back = parse_instant(&stored).unwrap_or_else(|e| panic!("{s:?} is stored as {stored:?}, which does not read back: {e}"));
        assert_eq!(back.as_nanosecond(), t.as_nanosecond().div_euclid(1000) * 1000, "{s:?} stored as {stored:?}");
        assert_eq!(instant_text(back), stored, "instant_text is not stable");
    }
    if let Ok(e) = Email::parse(s) {
        assert_eq!(Email::parse(e.as_str()).as_ref(), Ok(&e), "{s:?} as {e} reads differently");
        assert_eq!(e.as_str().matches('@').count(), 1);
        assert!(!e.as_str().chars().any(char::is_whitespace));
    }
    if let Ok(v) = s.parse::<Votes>() {
        assert_eq!(v.to_string().parse::<Votes>(), Ok(v), "{s:?} written as {v} reads differently");
    }
    if let Ok(c) = Choice::parse(s) {
        assert_eq!(Choice::parse(c.as_str()).ok(), Some(c));
    }
    if let Ok(st) = Status::parse(s) {
        assert_eq!(Status::parse(st.as_str()).ok(), Some(st));
    }
    if let Ok(b) = Base::parse(s) {
        assert_eq!(Base::parse(b.as_str()).ok(), Some(b));
    }
    if let Ok(m) = Method::parse(s) {
        assert_eq!(Method::parse(m.as_str()).ok(), Some(m));
    }
    if let Ok(f) = s.parse::<Format>() {
        assert_eq!(f.as_str().parse::<Format>().ok(), Some(f));
    }
    if let Ok(st) = MemberState::parse(s) {
        assert_eq!(MemberState::parse(st.as_str()).ok(), Some(st));
    }
    if let Ok(roles) = Role::parse_list(s) {
        let text = roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",");
        assert_eq!(Role::parse_list(&text).ok(), Some(roles), "{s:?} written as {text:?} reads differently");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = coop_fuzz::text(data) else { return };
    check(text);
    if text.contains('\n') {
        for line in text.split('\n').take(32) {
            check(line);
        }
    }
});
