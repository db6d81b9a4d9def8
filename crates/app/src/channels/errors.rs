//! Mattermost's errors for missing channels and members.

use utmost_model::AppError;

pub fn channel_not_found() -> AppError {
    AppError::not_found(
        "app.channel.get.existing.app_error",
        "Unable to find the existing channel.",
    )
}

pub fn channel_name_not_found() -> AppError {
    AppError::not_found(
        "app.channel.get_by_name.missing.app_error",
        "Channel does not exist.",
    )
}

pub fn member_not_found() -> AppError {
    AppError::not_found(
        "app.channel.get_member.missing.app_error",
        "No channel member found for that user ID and channel ID.",
    )
}

pub fn team_name_not_found() -> AppError {
    AppError::not_found(
        "app.team.get_by_name.missing.app_error",
        "Unable to find the existing team.",
    )
}

pub fn team_member_not_found() -> AppError {
    AppError::not_found(
        "app.team.get_member.missing.app_error",
        "No team member found for that user ID and team ID.",
    )
}
