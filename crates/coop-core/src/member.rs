//! Members through their whole life, and the roles they hold.
//!
//! A member's rights on a date follow from their state on that date, so the state is kept as
//! an effective-dated history and [`StateHistory::state_on`] is the one place that answers
//! "what was this person on day D?".

use jiff::{civil::Date, ToSpan};
use serde::Serialize;
use std::fmt;

/// Where a person stands in the co-op.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberState {
    /// Has applied; no rights yet.
    Applicant,
    /// On probation (e.g. 9 months), usually without a vote.
    Candidate,
    /// A full member: one member, one vote.
    Member,
    /// A member on leave.
    OnLeave,
    /// Has left; kept as alumni, never deleted.
    Departed,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not a membership state (use applicant, candidate, member, on_leave or departed)")]
pub struct UnknownState(pub String);

impl MemberState {
    pub const ALL: [MemberState; 5] = [
        MemberState::Applicant,
        MemberState::Candidate,
        MemberState::Member,
        MemberState::OnLeave,
        MemberState::Departed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberState::Applicant => "applicant",
            MemberState::Candidate => "candidate",
            MemberState::Member => "member",
            MemberState::OnLeave => "on_leave",
            MemberState::Departed => "departed",
        }
    }

    pub fn parse(s: &str) -> Result<MemberState, UnknownState> {
        let norm = s.trim().to_lowercase().replace('-', "_");
        MemberState::ALL
            .into_iter()
            .find(|st| st.as_str() == norm)
            .ok_or_else(|| UnknownState(s.to_string()))
    }

    /// States a person may be recorded in when first added.
    pub fn is_valid_start(self) -> bool {
        matches!(self, MemberState::Applicant | MemberState::Candidate | MemberState::Member)
    }

    /// The life-cycle moves the co-op allows. Departed people may come back through any
    /// entry state (re-admission); nobody skips from leave straight to candidacy.
    pub fn may_move_to(self, next: MemberState) -> bool {
        use MemberState::*;
        match (self, next) {
            (a, b) if a == b => false,
            (Applicant, Candidate | Member | Departed) => true,
            (Candidate, Member | Departed) => true,
            (Member, OnLeave | Departed) => true,
            (OnLeave, Member | Departed) => true,
            (Departed, Applicant | Candidate | Member) => true,
            _ => false,
        }
    }
}

impl fmt::Display for MemberState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Powers that are separate from membership state: a candidate may keep the books.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages members, settings and accounts.
    Admin,
    /// Keeps the record: enters counts at meetings, circulates minutes.
    Secretary,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Admin, Role::Secretary];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Secretary => "secretary",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        match s.trim().to_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "secretary" => Ok(Role::Secretary),
            other => Err(format!("{other:?} is not a role (use admin or secretary)")),
        }
    }

    /// Parses a comma-separated list such as `admin,secretary`; duplicates collapse.
    pub fn parse_list(s: &str) -> Result<Vec<Role>, String> {
        let mut roles = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let r = Role::parse(part)?;
            if !roles.contains(&r) {
                roles.push(r);
            }
        }
        roles.sort();
        Ok(roles)
    }
}

/// One dated change of state, as recorded in the member's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateChange {
    pub state: MemberState,
    /// The first day the state holds.
    pub since: Date,
    /// For candidacy: the day the probation is planned to end.
    pub planned_end: Option<Date>,
    pub note: String,
}

/// Why a state change is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StateChangeError {
    #[error("a new member must start as applicant, candidate or member, not {0}")]
    BadStart(MemberState),
    #[error("a {from} cannot become {to} directly")]
    NotAllowed { from: MemberState, to: MemberState },
    #[error("the change is dated {date}, before the last recorded change on {last}; state changes are recorded in date order")]
    OutOfOrder { date: Date, last: Date },
    #[error("the candidacy's planned end {end} must be after its start {start}")]
    PlannedEndBeforeStart { start: Date, end: Date },
}

/// A member's state history, oldest first. Changes on the same day apply in recorded order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StateHistory(Vec<StateChange>);

impl StateHistory {
    /// Builds a history from stored rows, which must already be in recorded order.
    pub fn from_recorded(changes: Vec<StateChange>) -> StateHistory {
        StateHistory(changes)
    }

    pub fn changes(&self) -> &[StateChange] {
        &self.0
    }

    /// The state in force on `date`, or `None` before the person first appears.
    pub fn state_on(&self, date: Date) -> Option<MemberState> {
        self.change_on(date).map(|c| c.state)
    }

    /// The change in force on `date` (the last one whose `since` is on or before it).
    pub fn change_on(&self, date: Date) -> Option<&StateChange> {
        self.0.iter().rev().find(|c| c.since <= date)
    }

    /// The most recently recorded change, whatever its date.
    pub fn latest(&self) -> Option<&StateChange> {
        self.0.last()
    }

    /// Checks a proposed change against the life cycle and returns it ready to record.
    pub fn check(&self, change: StateChange) -> Result<StateChange, StateChangeError> {
        match self.latest() {
            None if !change.state.is_valid_start() => return Err(StateChangeError::BadStart(change.state)),
            None => {}
            Some(last) => {
                if change.since < last.since {
                    return Err(StateChangeError::OutOfOrder { date: change.since, last: last.since });
                }
                if !last.state.may_move_to(change.state) {
                    return Err(StateChangeError::NotAllowed { from: last.state, to: change.state });
                }
            }
        }
        if let Some(end) = change.planned_end {
            if end <= change.since {
                return Err(StateChangeError::PlannedEndBeforeStart { start: change.since, end });
            }
        }
        Ok(change)
    }

    /// Records a change after [`StateHistory::check`].
    pub fn apply(&mut self, change: StateChange) -> Result<(), StateChangeError> {
        let change = self.check(change)?;
        self.0.push(change);
        Ok(())
    }

    /// If the person is a candidate on `today` with a planned end, that end date.
    pub fn candidacy_end(&self, today: Date) -> Option<Date> {
        let current = self.change_on(today)?;
        (current.state == MemberState::Candidate).then_some(current.planned_end).flatten()
    }

    /// Whether the candidacy in force on `today` ends within `within_days` days (or is overdue):
    /// the dashboard lists these so that the members remember to decide on admission.
    pub fn candidacy_due(&self, today: Date, within_days: i64) -> bool {
        self.candidacy_end(today).is_some_and(|end| candidacy_due_on(end, today, within_days))
    }
}

/// Whether a candidacy planned to end on `end` is due on `today`: it ends within
/// `within_days` days, or is overdue and still undecided.
pub fn candidacy_due_on(end: Date, today: Date, within_days: i64) -> bool {
    end <= today.saturating_add(within_days.days())
}

/// The default planned end of a candidacy that starts on `start` and lasts `months`.
pub fn planned_candidacy_end(start: Date, months: i32) -> Date {
    start.saturating_add(months.months())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn change(state: MemberState, since: Date) -> StateChange {
        StateChange { state, since, planned_end: None, note: String::new() }
    }

    #[test]
    fn state_on_follows_dates() {
        let mut h = StateHistory::default();
        h.apply(change(MemberState::Candidate, date(2025, 1, 6))).unwrap();
        h.apply(change(MemberState::Member, date(2025, 10, 6))).unwrap();
        h.apply(change(MemberState::OnLeave, date(2026, 3, 1))).unwrap();
        assert_eq!(h.state_on(date(2025, 1, 5)), None);
        assert_eq!(h.state_on(date(2025, 1, 6)), Some(MemberState::Candidate));
        assert_eq!(h.state_on(date(2025, 10, 5)), Some(MemberState::Candidate));
        assert_eq!(h.state_on(date(2025, 10, 6)), Some(MemberState::Member));
        assert_eq!(h.state_on(date(2026, 6, 1)), Some(MemberState::OnLeave));
    }

    #[test]
    fn same_day_changes_apply_in_recorded_order() {
        let mut h = StateHistory::default();
        h.apply(change(MemberState::Applicant, date(2025, 1, 6))).unwrap();
        h.apply(change(MemberState::Candidate, date(2025, 1, 6))).unwrap();
        assert_eq!(h.state_on(date(2025, 1, 6)), Some(MemberState::Candidate));
    }

    #[test]
    fn refuses_bad_moves_and_out_of_order_dates() {
        let mut h = StateHistory::default();
        assert_eq!(
            h.check(change(MemberState::OnLeave, date(2025, 1, 1))),
            Err(StateChangeError::BadStart(MemberState::OnLeave))
        );
        h.apply(change(MemberState::Candidate, date(2025, 1, 6))).unwrap();
        assert_eq!(
            h.check(change(MemberState::OnLeave, date(2025, 2, 1))),
            Err(StateChangeError::NotAllowed { from: MemberState::Candidate, to: MemberState::OnLeave })
        );
        assert!(matches!(
            h.check(change(MemberState::Member, date(2024, 12, 31))),
            Err(StateChangeError::OutOfOrder { .. })
        ));
        assert!(matches!(
            h.check(change(MemberState::Candidate, date(2025, 2, 1))),
            Err(StateChangeError::NotAllowed { .. })
        ));
    }

    #[test]
    fn departed_members_can_be_readmitted() {
        assert!(MemberState::Departed.may_move_to(MemberState::Member));
        assert!(!MemberState::OnLeave.may_move_to(MemberState::Candidate));
    }

    #[test]
    fn candidacy_due_window() {
        let mut h = StateHistory::default();
        let start = date(2026, 3, 1);
        let end = planned_candidacy_end(start, 9);
        assert_eq!(end, date(2026, 12, 1));
        h.apply(StateChange { planned_end: Some(end), ..change(MemberState::Candidate, start) }).unwrap();
        assert!(!h.candidacy_due(date(2026, 10, 1), 30));
        assert!(h.candidacy_due(date(2026, 11, 5), 30));
        assert!(h.candidacy_due(date(2027, 1, 5), 30), "an overdue candidacy stays due");
        h.apply(change(MemberState::Member, date(2026, 12, 1))).unwrap();
        assert!(!h.candidacy_due(date(2026, 12, 2), 30), "once admitted, nothing is due");
    }

    #[test]
    fn parse_states_and_roles() {
        assert_eq!(MemberState::parse("on-leave").unwrap(), MemberState::OnLeave);
        assert!(MemberState::parse("boss").is_err());
        assert_eq!(Role::parse_list("secretary, admin,admin").unwrap(), vec![Role::Admin, Role::Secretary]);
        assert!(Role::parse_list("admin,king").is_err());
    }

    fn any_state() -> impl Strategy<Value = MemberState> {
        prop::sample::select(MemberState::ALL.to_vec())
    }

    proptest! {
        /// Whatever sequence of changes is attempted, the recorded history stays in date
        /// order, every recorded move is allowed, and state_on agrees with a naive scan.
        #[test]
        fn history_invariants(attempts in prop::collection::vec((any_state(), 0i64..400), 1..30), probe in 0i64..800) {
            let base = date(2024, 1, 1);
            let mut h = StateHistory::default();
            for (state, offset) in attempts {
                let _ = h.apply(change(state, base.saturating_add(offset.days())));
            }
            let changes = h.changes();
            for pair in changes.windows(2) {
                prop_assert!(pair[0].since <= pair[1].since);
                prop_assert!(pair[0].state.may_move_to(pair[1].state));
            }
            if let Some(first) = changes.first() {
                prop_assert!(first.state.is_valid_start());
            }
            let day = base.saturating_add(probe.days());
            let naive = changes.iter().rfind(|c| c.since <= day).map(|c| c.state);
            prop_assert_eq!(h.state_on(day), naive);
        }
    }
}
