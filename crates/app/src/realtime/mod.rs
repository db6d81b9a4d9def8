//! The real-time hub: every event a service publishes reaches the right WebSocket
//! connections, in order, with per-connection sequence numbers and a replay buffer so a
//! client that reconnects gets exactly what it missed.
//!
//! Connections are sharded by user id; each shard task owns its connections, its users'
//! channel and team memberships (kept current by the membership messages its bus subscriber,
//! `events::HubSubscriber`, sends before the events) and the resume buffers. Every queue is bounded. A publisher waits
//! for room in a shard's inbox (backpressure, as Mattermost's hub broadcast channel), never
//! on a socket: every connection has a bounded queue, and a connection whose queue is full is
//! closed (its client resumes from the replay buffer when it reconnects). A shard never
//! waits at all, so nothing waits on a socket through it.

mod frame;
mod hub;
mod presence;
mod service;
mod shard;
#[cfg(test)]
mod tests;

pub use frame::{Frame, Prepared};
pub use hub::{ConnectRequest, Hub, HubStats, Presence, Registered};
pub use service::{Connections, Shards};

/// Events a connection keeps for replay after a disconnect (Mattermost keeps 128).
pub const REPLAY_BUFFER: usize = 128;
/// Messages a shard's inbox holds; past it, publishers wait for the shard (Mattermost's hub
/// broadcast queue holds 4096 too).
pub const SHARD_QUEUE: usize = 4096;
/// Presence changes queued for the presence worker (see `presence::PresenceOutbox` for what
/// a shard does when it is full).
pub const PRESENCE_QUEUE: usize = 1024;
/// Queue length per connection; a connection that falls this far behind is closed.
pub const SEND_QUEUE: usize = 256;
/// How long a disconnected connection's replay buffer is kept for a resume.
pub const DEAD_CONNECTION_TTL: std::time::Duration = std::time::Duration::from_secs(5 * 60);
