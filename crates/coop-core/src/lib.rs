//! The co-op's rules as pure code: no I/O, no async, no SQL.
//!
//! Everything here is deterministic and testable on its own. The other crates use these
//! types as their vocabulary: a [`member::MemberState`] that exists is a real state, an
//! [`email::Email`] that exists is well formed, a journal hash is computed in exactly one place.

pub mod decision;
pub mod election;
pub mod email;
pub mod hours;
pub mod import;
pub mod income_statement;
pub mod journal;
pub mod ledger;
pub mod meeting;
pub mod member;
pub mod money;
pub mod patronage;
pub mod pay;
pub mod pdf;
pub mod settings;
pub mod time;

pub use email::Email;
pub use member::{MemberState, Role, StateChange, StateHistory};
pub use money::Money;
pub use settings::CoopSettings;
