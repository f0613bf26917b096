//! A decision rule's JSON (`coop class set --rule-json`, the API's classes): an accepted rule
//! written back reads back the same (by `parse_json` and by serde), and evaluates sanely.
#![no_main]
use coop_core::decision::DecisionRule;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = coop_fuzz::text(data) else { return };
    let rule = match DecisionRule::parse_json(text) {
        Ok(rule) => rule,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let json = rule.to_json();
    let back = DecisionRule::parse_json(&json).unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
    assert_eq!(back, rule, "the rule changed on the way through {json}");
    assert_eq!(back.to_json(), json, "to_json is not stable");
    let via_serde: DecisionRule = serde_json::from_str(&json).expect("serde reads what to_json wrote");
    assert_eq!(via_serde, rule);
    coop_fuzz::check_rule_evaluation(&rule, data);
});
