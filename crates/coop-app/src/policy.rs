//! Who may do what: one function per use case, checked by the use case itself.
//!
//! Templates may hide a button, but only these functions decide.

use crate::{Actor, AppError, Result};
use coop_core::member::{MemberState, Role};

fn signed_in_and_current(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Operator | Actor::System => Ok(()),
        Actor::Member(m) if m.state == Some(MemberState::Departed) => {
            Err(AppError::Forbidden("departed members keep their record but no longer have access".into()))
        }
        Actor::Member(_) => Ok(()),
    }
}

fn admin(actor: &Actor, what: &str) -> Result<()> {
    signed_in_and_current(actor)?;
    if actor.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("{what} needs the admin role")))
    }
}

/// Listing and reading members: every current participant (transparency among members).
pub fn view_members(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)
}

/// Adding members, changing states and roles: admins.
pub fn manage_members(actor: &Actor) -> Result<()> {
    admin(actor, "managing members")
}

/// Editing a profile: admins, or the member themselves.
pub fn edit_profile(actor: &Actor, member_id: i64) -> Result<()> {
    signed_in_and_current(actor)?;
    if actor.has_role(Role::Admin) || actor.member_id() == Some(member_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("you can edit only your own profile".into()))
    }
}

/// Reading the journal and verifying it: every current participant, so any member can audit.
pub fn view_journal(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)
}

/// Changing the co-op's settings: admins.
pub fn change_settings(actor: &Actor) -> Result<()> {
    admin(actor, "changing the co-op's settings")
}

/// Issuing a one-time password reset link for someone: admins.
pub fn issue_reset(actor: &Actor) -> Result<()> {
    admin(actor, "issuing reset links")
}

/// Managing one's own password and API tokens: a signed-in member, for themselves.
pub fn own_account(actor: &Actor) -> Result<i64> {
    signed_in_and_current(actor)?;
    actor.member_id().ok_or_else(|| AppError::Forbidden("the command line has no account; sign in as a member".into()))
}

/// Opening a proposal: current members (state `member`) and admins.
pub fn propose(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)?;
    match actor {
        Actor::Member(m) if m.state != Some(MemberState::Member) && !m.roles.contains(&Role::Admin) => {
            Err(AppError::Forbidden("only members (and admins) open proposals".into()))
        }
        _ => Ok(()),
    }
}

/// Setting a decision class directly (before founding) or proposing a change (after): admins.
pub fn manage_rules(actor: &Actor) -> Result<()> {
    admin(actor, "changing the decision classes")
}

/// Casting a vote: a member for themselves; the command line on a member's behalf (a paper
/// ballot entered by whoever keeps the record). Eligibility is checked by the use case.
pub fn vote_as(actor: &Actor, voter_id: i64) -> Result<()> {
    signed_in_and_current(actor)?;
    match actor {
        Actor::Operator => Ok(()),
        Actor::System => Err(AppError::Forbidden("coop itself never votes".into())),
        Actor::Member(m) if m.id == voter_id => Ok(()),
        Actor::Member(_) => Err(AppError::Forbidden("you can vote only for yourself".into())),
    }
}

/// Recording the record-keeping facts of a meeting (attendance, a show of hands) and closing
/// a proposal early: the secretary or an admin.
pub fn keep_record(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)?;
    if actor.has_role(Role::Secretary) || actor.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden("this needs the secretary or admin role".into()))
    }
}

/// Reading proposals, classes and results: every current participant.
pub fn view_decisions(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)
}

/// Logging time for a member: the member themselves, or an admin (and the command line) for anyone.
pub fn log_time(actor: &Actor, member_id: i64) -> Result<()> {
    signed_in_and_current(actor)?;
    if actor.has_role(Role::Admin) || actor.member_id() == Some(member_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("you can log time only for yourself".into()))
    }
}

/// Importing a time tracker's file (it names many people): admins.
pub fn import_time(actor: &Actor) -> Result<()> {
    admin(actor, "importing time entries")
}

/// Setting a member's yearly commitment: admins.
pub fn manage_commitments(actor: &Actor) -> Result<()> {
    admin(actor, "setting commitments")
}

/// Reading hours reports and balances: every current participant (transparency among members).
pub fn view_hours(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)
}

/// Setting rates, proposing pay systems, approving and exporting pay runs: admins.
pub fn manage_pay(actor: &Actor) -> Result<()> {
    admin(actor, "managing pay")
}

/// Reading pay systems and pay runs: every current participant (open books, as co-ops keep them).
pub fn view_pay(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)
}

/// Adding and editing projects and clients: admins (members create projects by logging time
/// through the CLI or an import, which an admin runs).
pub fn manage_projects(actor: &Actor) -> Result<()> {
    admin(actor, "managing projects")
}

/// Reading meetings, agendas, minutes, actions and calendars: every current participant.
pub fn view_meetings(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)
}

/// Suggesting an agenda item: any current participant (the record keeper decides whether it
/// goes on the agenda); coop itself suggests nothing.
pub fn suggest_agenda_item(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)?;
    match actor {
        Actor::System => Err(AppError::Forbidden("coop itself suggests no agenda items".into())),
        _ => Ok(()),
    }
}

/// Writing an item's notes: the record keeper, or the member who is that meeting's note-taker.
pub fn take_notes(actor: &Actor, note_taker: Option<i64>) -> Result<()> {
    signed_in_and_current(actor)?;
    if actor.has_role(Role::Secretary) || actor.has_role(Role::Admin) || (note_taker.is_some() && actor.member_id() == note_taker) {
        Ok(())
    } else {
        Err(AppError::Forbidden("notes are written by the meeting's note-taker, the secretary or an admin".into()))
    }
}

/// Marking an action done: its owner, or the record keeper.
pub fn complete_action(actor: &Actor, owner_id: i64) -> Result<()> {
    signed_in_and_current(actor)?;
    if actor.has_role(Role::Secretary) || actor.has_role(Role::Admin) || actor.member_id() == Some(owner_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only the action's owner, the secretary or an admin marks it done".into()))
    }
}

/// Issuing one's own private calendar token: a signed-in member, for themselves.
pub fn own_calendar(actor: &Actor) -> Result<i64> {
    signed_in_and_current(actor)?;
    actor.member_id().ok_or_else(|| AppError::Forbidden("a calendar token belongs to a member; sign in as one".into()))
}

/// Entering a year's surplus, adopting allocation policies, committing allocations, and posting
/// buy-ins, interest, redemptions and departures to capital accounts: admins.
pub fn manage_surplus(actor: &Actor) -> Result<()> {
    admin(actor, "managing the surplus and capital accounts")
}

/// Reading fiscal years, allocations (previews included), the reserve and the ledger export:
/// every current participant (open books).
pub fn view_surplus(actor: &Actor) -> Result<()> {
    signed_in_and_current(actor)
}

/// Reading a member's capital account: the member themselves, or an admin.
pub fn view_capital(actor: &Actor, member_id: i64) -> Result<()> {
    signed_in_and_current(actor)?;
    if actor.has_role(Role::Admin) || actor.member_id() == Some(member_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("a capital account is seen only by its member and admins".into()))
    }
}
