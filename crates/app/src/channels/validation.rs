//! Mattermost's `Channel.IsValid`: the shape of a channel before it is stored.

use crate::AppResult;
use utmost_model::channel::{
    Channel, CHANNEL_DIRECT, CHANNEL_DISPLAY_NAME_MAX_RUNES, CHANNEL_GROUP,
    CHANNEL_HEADER_MAX_RUNES, CHANNEL_NAME_MAX_LENGTH, CHANNEL_OPEN, CHANNEL_PRIVATE,
    CHANNEL_PURPOSE_MAX_RUNES,
};
use utmost_model::{is_valid_id, AppError};

fn invalid(field: &str, message: &str) -> AppError {
    AppError::bad_request(
        &format!("model.channel.is_valid.{field}.app_error"),
        message,
    )
}

/// 1–64 characters of `a-z 0-9 - _`, starting with a letter or digit.
pub fn is_valid_name(name: &str) -> bool {
    name.len() <= CHANNEL_NAME_MAX_LENGTH
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Names shaped like a DM's (`id__id`) or a GM's (40 hex digits) are kept for those.
fn looks_like_direct_or_group(name: &str) -> bool {
    let gm = name.len() == 40 && name.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'));
    let dm = name
        .split_once("__")
        .is_some_and(|(a, b)| is_valid_id(a) && is_valid_id(b));
    gm || dm
}

pub fn validate(c: &Channel) -> AppResult<()> {
    if c.display_name.chars().count() > CHANNEL_DISPLAY_NAME_MAX_RUNES {
        return Err(invalid("display_name", "Invalid display name."));
    }
    if !is_valid_name(&c.name) {
        return Err(invalid(
            "1_or_more",
            "Name must be 1 or more lowercase alphanumeric characters.",
        ));
    }
    let types = [CHANNEL_OPEN, CHANNEL_PRIVATE, CHANNEL_DIRECT, CHANNEL_GROUP];
    if !types.contains(&c.channel_type.as_str()) {
        return Err(invalid("type", "Invalid type."));
    }
    if c.header.chars().count() > CHANNEL_HEADER_MAX_RUNES {
        return Err(invalid("header", "Invalid header."));
    }
    if c.purpose.chars().count() > CHANNEL_PURPOSE_MAX_RUNES {
        return Err(invalid("purpose", "Invalid purpose."));
    }
    if c.creator_id.len() > 26 {
        return Err(invalid("creator_id", "Invalid creator id."));
    }
    if !c.is_group_or_direct() && looks_like_direct_or_group(&c.name) {
        return Err(invalid(
            "name",
            "Invalid channel name. User ids are not permitted in channel name for non-direct \
             message channels.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(name: &str) -> Channel {
        Channel {
            name: name.into(),
            display_name: "Display".into(),
            channel_type: CHANNEL_OPEN.into(),
            ..Channel::default()
        }
    }

    fn error_id(c: &Channel) -> String {
        validate(c).err().map(|e| e.id).unwrap_or_default()
    }

    #[test]
    fn names() {
        assert!(validate(&channel("a")).is_ok());
        assert!(validate(&channel("town-square_2")).is_ok());
        assert!(validate(&channel(&"a".repeat(64))).is_ok());
        for bad in ["", "-a", "_a", "Abc", "a b", "a.b", &"a".repeat(65)] {
            assert_eq!(
                error_id(&channel(bad)),
                "model.channel.is_valid.1_or_more.app_error",
                "{bad}"
            );
        }
        let dm = format!("{}__{}", "a".repeat(26), "b".repeat(26));
        assert_eq!(
            error_id(&channel(&dm)),
            "model.channel.is_valid.name.app_error"
        );
        assert_eq!(
            error_id(&channel(&"ab".repeat(20))),
            "model.channel.is_valid.name.app_error"
        );
    }

    #[test]
    fn lengths_and_type() {
        let mut c = channel("ok");
        c.display_name = "é".repeat(64);
        assert!(validate(&c).is_ok());
        c.display_name = "é".repeat(65);
        assert_eq!(
            error_id(&c),
            "model.channel.is_valid.display_name.app_error"
        );
        let mut c = channel("ok");
        c.header = "x".repeat(1025);
        assert_eq!(error_id(&c), "model.channel.is_valid.header.app_error");
        let mut c = channel("ok");
        c.purpose = "x".repeat(251);
        assert_eq!(error_id(&c), "model.channel.is_valid.purpose.app_error");
        let mut c = channel("ok");
        c.channel_type = "X".into();
        assert_eq!(error_id(&c), "model.channel.is_valid.type.app_error");
    }
}
