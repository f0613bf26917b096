//! A pay system's JSON (as stored, and as the Settings page and API take it): an accepted
//! system is valid, and written back it reads back the same, twice over.
#![no_main]
use coop_core::pay::PaySystem;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = coop_fuzz::text(data) else { return };
    let Ok(system) = PaySystem::from_json(text) else { return };
    system.validate().expect("from_json validates");
    let json = system.to_json();
    let back = PaySystem::from_json(&json).unwrap_or_else(|e| panic!("{text} is stored as {json}, which does not read back: {e}"));
    assert_eq!(back, system, "the pay system changed on the way through {json}");
    assert_eq!(back.to_json(), json, "to_json is not stable");
});
