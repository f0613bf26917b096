//! The accountant's income statement (plain `account,amount[,type]` or hledger's CSV): a read
//! statement has at least one account line; a refusal names a line of the file; and the same
//! file with Windows line endings reads the same (net, lines, format; or the same refused line).
#![no_main]
use coop_core::income_statement::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = coop_fuzz::text(data) else { return };
    let read = parse(text);
    match &read {
        Ok(s) => assert!(s.lines >= 1, "{text:?} read with no account line: {s:?}"),
        Err(e) => {
            // Line 1 is the header; a missing line after the last is named as the next one.
            // Lines end as an editor ends them: CRLF, LF or a lone CR (old Mac files).
            let lines = text.replace("\r\n", "\n").replace('\r', "\n").split('\n').count();
            assert!(e.line >= 1 && e.line <= lines + 1, "{text:?}: line {} of {lines}", e.line);
            assert!(!e.message.trim().is_empty());
        }
    }
    if !text.contains('\r') {
        let windows = text.replace('\n', "\r\n");
        let again = parse(&windows);
        match (&read, &again) {
            (Ok(a), Ok(b)) => assert_eq!((a.net, a.lines, a.format), (b.net, b.lines, b.format), "{text:?} with CRLF"),
            (Err(a), Err(b)) => assert_eq!(a.line, b.line, "{text:?} with CRLF: {a} / {b}"),
            _ => panic!("{text:?} reads {read:?} but with CRLF {again:?}"),
        }
    }
});
