//! Wire types exactly as Mattermost serialises them, ids, errors, permission and role names.
//! serde only, no I/O.

pub mod access_token;
pub mod audit;
pub mod bot;
pub mod channel;
pub mod channel_bookmark;
pub mod channel_sidebar;
pub mod command;
pub mod compliance;
pub mod draft;
pub mod emoji;
pub mod error;
pub mod file_info;
pub mod group;
pub mod id;
pub mod integration_action;
pub mod job;
pub mod oauth;
pub mod permissions;
pub mod post;
pub mod post_acknowledgement;
pub mod preference;
pub mod reaction;
pub mod retention;
pub mod role;
pub mod roles;
pub mod scheme;
pub mod session;
pub mod status;
pub mod team;
pub mod thread;
pub mod time;
pub mod user;
pub mod webhook;
pub mod websocket;

pub use error::AppError;
pub use id::GroupId;
pub use id::SchemeId;
pub use id::{is_valid_id, new_id, ChannelId, PostId, RoleId, TeamId, TokenId, UserId, UserParam};
pub use time::now_millis;

/// The Mattermost version whose behaviour Utmost implements. Current mobile and desktop
/// apps refuse servers older than 10.11, so this is what `X-Version-Id` and `hello` advertise.
pub const MATTERMOST_VERSION: &str = "10.11.0";

/// Utmost's own version, reported as the build number.
pub const UTMOST_VERSION: &str = env!("CARGO_PKG_VERSION");
