//! Guest accounts (Mattermost's guest features): invitations by email to chosen channels and
//! the sign-up their link leads to ([`invitations`]), promotion to a regular user and
//! demotion to a guest ([`promotion`]). What a guest may see is decided where each read is
//! (the built-in guest roles, `users::directory`'s visibility, the search scope).

pub mod invitations;
pub mod promotion;

pub use invitations::{invite_by_email, GuestsInvite};
pub use promotion::{demote, promote};

use utmost_model::roles::SYSTEM_GUEST;
use utmost_model::session::Session;

/// Whether the session is a guest's (their system roles, as copied into the session).
pub fn is_guest_session(session: &Session) -> bool {
    session.roles.split_whitespace().any(|r| r == SYSTEM_GUEST)
}
