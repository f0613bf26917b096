//! Ballot strings as voters type them: the first line is the candidate list ("Ana, Ben,Chidi"),
//! every further line a ballot, read as a ranking ("A>B>C"), an approval list ("A,B") and a
//! single choice. An accepted ballot names known candidates once each and, written back as
//! text, reads back the same; the rankings then count under STV and IRV.
#![no_main]
use coop_core::election::{parse_ballot, parse_candidates, validate_candidates, Ballot, Method};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = coop_fuzz::text(data) else { return };
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let Ok(candidates) = parse_candidates(first) else { return };
    validate_candidates(&candidates).expect("parse_candidates gives a valid list");
    assert_eq!(parse_candidates(&candidates.join(",")).as_ref(), Ok(&candidates), "the list written back reads differently");

    let mut rankings = Vec::new();
    for line in rest.lines().take(64) {
        for method in Method::ALL {
            let Ok(ballot) = parse_ballot(method, line, &candidates) else { continue };
            let picked: &[usize] = match (&ballot, method) {
                (Ballot::Choice(c), Method::Plurality) => std::slice::from_ref(c),
                (Ballot::Approve(cs), Method::Approval) => cs,
                (Ballot::Ranking(cs), Method::Irv | Method::Stv) => cs,
                (b, m) => panic!("{m} gave {b:?}"),
            };
            assert!(!picked.is_empty() && picked.iter().all(|&c| c < candidates.len()));
            let mut seen = picked.to_vec();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), picked.len(), "a candidate picked twice in {line:?}");
            let written = ballot.to_text(&candidates);
            assert_eq!(parse_ballot(method, &written, &candidates).as_ref(), Ok(&ballot), "{line:?} written as {written:?} reads differently");
            if method == Method::Stv {
                rankings.push(ballot);
            }
        }
    }
    if !rankings.is_empty() {
        coop_fuzz::check_count(Method::Irv, 1, &candidates, &rankings);
        for seats in 1..=candidates.len().min(3) {
            coop_fuzz::check_count(Method::Stv, seats, &candidates, &rankings);
        }
    }
});
