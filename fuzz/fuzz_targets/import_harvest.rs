//! A Harvest CSV file: parse (plain and compact agree), rows sane, written back as generic CSV it
//! reads the same, resolved against a small roster under three mappings (plain and compact agree).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = coop_fuzz::text(data) {
        coop_fuzz::check_import(coop_core::import::Format::Harvest, text);
    }
});
