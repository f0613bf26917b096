//! BLT files (`coop election import`/`export`): what is read and written back reads the same,
//! writing is a fixed point, and the ballots count.
#![no_main]
use coop_core::election::{parse_blt, to_blt, Method};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = coop_fuzz::text(data) else { return };
    // A weight may expand one line into up to ten million ballots, by design; keep each run
    // small by skipping inputs whose numbers add up to more than 20,000.
    let numbers = text.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty());
    if numbers.map(|t| t.parse::<u64>().unwrap_or(u64::MAX).min(u64::MAX / 1024)).try_fold(0u64, |a, n| Some(a + n).filter(|&s| s <= 20_000)).is_none() {
        return;
    }
    let Ok(blt) = parse_blt(text) else { return };
    let written = to_blt(&blt.title, &blt.candidates, blt.seats, &blt.ballots).unwrap_or_else(|e| panic!("an election read from BLT cannot be written back: {e}"));
    let back = parse_blt(&written).unwrap_or_else(|e| panic!("written BLT does not read back: {e}\n{written}"));
    assert_eq!(back, blt, "the election changed on the way through BLT:\n{written}");
    assert_eq!(to_blt(&back.title, &back.candidates, back.seats, &back.ballots).as_deref(), Ok(written.as_str()), "writing is not stable");
    if !blt.ballots.is_empty() && blt.ballots.len() <= 2000 {
        coop_fuzz::check_count(Method::Stv, blt.seats, &blt.candidates, &blt.ballots);
    }
});
