//! Who may do what: one function per use case, checked by the use case itself.
//!
//! Templates may hide a button, but only these functions decide.

use crate::{Actor, AppError, Result};
use coop_core::member::{MemberState, Role};

fn signed_in_and_current(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Operator => Ok(()),
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
