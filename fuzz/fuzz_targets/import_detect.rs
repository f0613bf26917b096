//! Format detection: stable under a byte-order mark, the header line alone is enough, the
//! "try --format X" hints agree with it, and the detected format's reader holds its properties.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = coop_fuzz::text(data) {
        coop_fuzz::check_detect(text);
    }
});
