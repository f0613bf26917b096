//! The journal's hash chain and the seals of legal records.
//!
//! Every write appends an entry whose hash covers the previous entry's hash, so changing,
//! inserting or removing any entry in the middle breaks every hash after it. A legal record
//! (decided proposal, approved minutes, committed allocation, a member's state change) is
//! *sealed*: the hash of its canonical content is written into a journal entry, so changing
//! the record itself is detected when the content is hashed again.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Writes JSON with object keys sorted and no insignificant whitespace, so the same content
/// always gives the same bytes (independent of serde_json's `preserve_order` feature).
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// SHA-256 of a record's canonical JSON: what a seal stores.
pub fn content_hash(value: &Value) -> String {
    sha256_hex(canonical_json(value).as_bytes())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The fields of an entry that its hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    /// The payload exactly as stored (canonical JSON text).
    pub payload: &'a str,
    pub prev_hash: &'a str,
}

/// The hash of an entry: SHA-256 over a JSON array of its fields, so no two different
/// entries can be made to produce the same hashed text by moving a separator.
pub fn entry_hash(e: &EntryFields<'_>) -> String {
    let fields = serde_json::json!([e.prev_hash, e.seq, e.at, e.actor, e.action, e.subject, e.payload]);
    sha256_hex(canonical_json(&fields).as_bytes())
}

/// What is wrong with the first entry that fails verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainFault {
    /// The sequence numbers are not 1, 2, 3, ... (an entry was removed or inserted).
    Gap { expected: i64, found: i64 },
    /// The entry's `prev_hash` is not the hash of the entry before it.
    BrokenLink,
    /// The entry's stored hash is not the hash of its fields (the entry was edited).
    HashMismatch,
    /// The payload is not canonical JSON (it was edited by hand).
    PayloadNotCanonical,
}

impl std::fmt::Display for ChainFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainFault::Gap { expected, found } => write!(f, "expected sequence {expected}, found {found}: an entry is missing or was inserted"),
            ChainFault::BrokenLink => f.write_str("its previous hash does not match the entry before it"),
            ChainFault::HashMismatch => f.write_str("its hash does not match its content: the entry was changed"),
            ChainFault::PayloadNotCanonical => f.write_str("its payload is not in canonical form: the entry was changed"),
        }
    }
}

/// A stored entry as read back for verification.
#[derive(Clone, Debug)]
pub struct StoredEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEntry {
    pub fn fields(&self) -> EntryFields<'_> {
        EntryFields {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            subject: &self.subject,
            payload: &self.payload,
            prev_hash: &self.prev_hash,
        }
    }
}

/// Checks entries in order, carrying the chain across calls so a long journal can be
/// verified in pages without holding it all in memory.
#[derive(Clone, Debug)]
pub struct ChainVerifier {
    next_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { next_seq: 1, prev_hash: GENESIS_HASH.to_string() }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, e: &StoredEntry) -> Result<(), ChainFault> {
        if e.seq != self.next_seq {
            return Err(ChainFault::Gap { expected: self.next_seq, found: e.seq });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainFault::BrokenLink);
        }
        match serde_json::from_str::<Value>(&e.payload) {
            Ok(v) if canonical_json(&v) == e.payload => {}
            _ => return Err(ChainFault::PayloadNotCanonical),
        }
        if entry_hash(&e.fields()) != e.hash {
            return Err(ChainFault::HashMismatch);
        }
        self.next_seq += 1;
        self.prev_hash = e.hash.clone();
        Ok(())
    }

    /// The number of entries verified so far.
    pub fn count(&self) -> i64 {
        self.next_seq - 1
    }

    /// The hash of the last verified entry (the genesis hash for an empty journal).
    pub fn head(&self) -> &str {
        &self.prev_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn chain(n: usize) -> Vec<StoredEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n as i64)
            .map(|seq| {
                let payload = canonical_json(&json!({"n": seq, "name": format!("m{seq}")}));
                let mut e = StoredEntry {
                    seq,
                    at: format!("2026-11-28T10:00:{:02}.000000Z", seq % 60),
                    actor: "cli".into(),
                    action: "member.add".into(),
                    subject: format!("member:{seq}"),
                    payload,
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = entry_hash(&e.fields());
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[StoredEntry]) -> Result<(), (i64, ChainFault)> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e).map_err(|f| (e.seq, f))?;
        }
        Ok(())
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let v = json!({"b": 1, "a": {"d": [1, {"z": 1, "y": 2}], "c": "x"}});
        assert_eq!(canonical_json(&v), r#"{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}"#);
    }

    #[test]
    fn an_intact_chain_verifies() {
        let entries = chain(5);
        assert_eq!(verify(&entries), Ok(()));
    }

    #[test]
    fn edits_are_detected_at_the_edited_entry() {
        let mut entries = chain(5);
        entries[2].actor = "mallory".into();
        assert_eq!(verify(&entries), Err((3, ChainFault::HashMismatch)));

        let mut entries = chain(5);
        entries[1].payload = r#"{"n":99,"name":"m2"}"#.into();
        assert_eq!(verify(&entries), Err((2, ChainFault::HashMismatch)));

        let mut entries = chain(5);
        entries.remove(3);
        assert_eq!(verify(&entries), Err((5, ChainFault::Gap { expected: 4, found: 5 })));
    }

    #[test]
    fn a_recomputed_hash_still_breaks_the_next_link() {
        let mut entries = chain(4);
        entries[1].subject = "member:99".into();
        entries[1].hash = entry_hash(&entries[1].fields());
        assert_eq!(verify(&entries), Err((3, ChainFault::BrokenLink)));
    }

    proptest! {
        /// Changing any one character of any hashed field of any entry is detected.
        #[test]
        fn any_single_edit_is_detected(n in 1usize..8, which in 0usize..8, field in 0usize..5, pos in 0usize..64) {
            let mut entries = chain(n);
            let i = which % n;
            let e = &mut entries[i];
            let target = match field { 0 => &mut e.at, 1 => &mut e.actor, 2 => &mut e.action, 3 => &mut e.subject, _ => &mut e.payload };
            let mut chars: Vec<char> = target.chars().collect();
            let p = pos % chars.len();
            chars[p] = if chars[p] == 'x' { 'y' } else { 'x' };
            *target = chars.into_iter().collect();
            prop_assert!(verify(&entries).is_err());
        }
    }
}
