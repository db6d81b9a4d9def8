//! Sidebar categories (`model/channel_sidebar.go`): a user's grouping and order of the
//! channels of one team.

use serde::{Deserialize, Serialize};

/// The preference category whose rows (name = channel id, value "true") mirror the
/// Favorites category.
pub const CATEGORY_FAVORITE_CHANNEL: &str = "favorite_channel";

pub const TYPE_FAVORITES: &str = "favorites";
pub const TYPE_CHANNELS: &str = "channels";
pub const TYPE_DIRECT_MESSAGES: &str = "direct_messages";
pub const TYPE_CUSTOM: &str = "custom";

/// `MinimalSidebarSortDistance`: the step between sort orders.
pub const SORT_DISTANCE: i64 = 10;

/// The sortings a category may have: default (behaves as manual), manual, by recency, by name.
pub const SORTINGS: [&str; 4] = ["", "manual", "recent", "alpha"];
pub const SORTING_RECENT: &str = "recent";

/// `SidebarCategories.DisplayName` is a varchar(64).
pub const DISPLAY_NAME_MAX_LENGTH: usize = 64;

/// One category with the ids of its channels, in order (`SidebarCategoryWithChannels`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SidebarCategory {
    pub id: String,
    pub user_id: String,
    pub team_id: String,
    pub sort_order: i64,
    pub sorting: String,
    #[serde(rename = "type")]
    pub category_type: String,
    pub display_name: String,
    pub muted: bool,
    pub collapsed: bool,
    #[serde(deserialize_with = "null_as_empty_list")]
    pub channel_ids: Vec<String>,
}

/// Go decodes `"channel_ids": null` as an empty list.
fn null_as_empty_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

/// `GET …/channels/categories`: the categories and their ids in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderedSidebarCategories {
    pub categories: Vec<SidebarCategory>,
    pub order: Vec<String>,
}

/// The id of one of a user's default categories in a team: `{type}_{user}_{team}`, fixed so
/// that concurrent creations cannot make two.
pub fn default_category_id(category_type: &str, user_id: &str, team_id: &str) -> String {
    format!("{category_type}_{user_id}_{team_id}")
}

/// `IsValidCategoryId`: a plain id, or a default category's `{type}_{id}_{id}`.
pub fn is_valid_category_id(id: &str) -> bool {
    if crate::is_valid_id(id) {
        return true;
    }
    [TYPE_FAVORITES, TYPE_CHANNELS, TYPE_DIRECT_MESSAGES]
        .iter()
        .any(|t| {
            id.strip_prefix(t)
                .and_then(|rest| rest.strip_prefix('_'))
                .and_then(|rest| rest.split_once('_'))
                .is_some_and(|(user, team)| is_lower_id(user) && is_lower_id(team))
        })
}

/// Mattermost's pattern for the ids inside a default category's id: `[a-z0-9]{26}`.
fn is_lower_id(s: &str) -> bool {
    s.len() == 26
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids_are_plain_ids_or_default_ids() {
        let user = crate::new_id();
        let team = crate::new_id();
        assert!(is_valid_category_id(&crate::new_id()));
        for t in [TYPE_FAVORITES, TYPE_CHANNELS, TYPE_DIRECT_MESSAGES] {
            assert!(is_valid_category_id(&default_category_id(t, &user, &team)));
        }
        for bad in [
            "",
            "short",
            &default_category_id(TYPE_CUSTOM, &user, &team),
            &format!("favorites_{user}"),
            &format!("favorites_{user}_{}", "A".repeat(26)),
        ] {
            assert!(!is_valid_category_id(bad), "{bad}");
        }
    }

    #[test]
    fn null_channel_ids_decode_as_empty() {
        let c: SidebarCategory =
            serde_json::from_str(r#"{"id":"x","type":"custom","channel_ids":null}"#).unwrap();
        assert!(c.channel_ids.is_empty());
        assert_eq!(c.category_type, TYPE_CUSTOM);
    }
}
