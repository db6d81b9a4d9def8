//! Channels: creation, membership, DMs and GMs, read state.

use crate::{App, AppResult};

/// Creates a new team's default channels (Town Square and Off-Topic).
pub async fn create_default_channels(_app: &App, _team_id: &str, _creator_id: &str) -> AppResult<()> {
    Ok(())
}

/// Adds a user who joined a team to the team's default channels.
pub async fn join_default_channels(_app: &App, _team_id: &str, _user_id: &str) -> AppResult<()> {
    Ok(())
}

/// Removes a user who left a team from every channel of that team.
pub async fn leave_team_channels(_app: &App, _team_id: &str, _user_id: &str) -> AppResult<()> {
    Ok(())
}
