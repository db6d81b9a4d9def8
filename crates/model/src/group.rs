//! Groups (`model.Group`, `model.GroupMember`, `model.GroupSyncable`): LDAP groups linked
//! from the directory and custom ones users make, their members, and the teams and channels
//! they are linked to, as `/api/v4/groups` shows them.

use serde::{Deserialize, Serialize};

/// `model.GroupSourceLdap`.
pub const SOURCE_LDAP: &str = "ldap";
/// `model.GroupSourceCustom`: groups users create (`POST /groups`).
pub const SOURCE_CUSTOM: &str = "custom";

/// `model.GroupNameMaxLength` and `GroupDisplayNameMaxLength`.
pub const NAME_MAX_LENGTH: usize = 64;
pub const DISPLAY_NAME_MAX_LENGTH: usize = 128;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Group {
    pub id: String,
    /// The mention name; `None` for an LDAP group nobody made mentionable yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub display_name: String,
    pub description: String,
    pub source: String,
    pub remote_id: Option<String>,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub has_syncables: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_count: Option<i64>,
    pub allow_reference: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_member_count: Option<i64>,
    /// `GroupWithSchemeAdmin`: whether the group's members administer the team or channel
    /// a list is of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme_admin: Option<bool>,
}

impl Group {
    /// `Group.Patch`.
    pub fn patch(&mut self, patch: &GroupPatch) {
        if let Some(name) = &patch.name {
            self.name = Some(name.clone());
        }
        if let Some(display_name) = &patch.display_name {
            self.display_name = display_name.clone();
        }
        if let Some(description) = &patch.description {
            self.description = description.clone();
        }
        if let Some(allow) = patch.allow_reference {
            self.allow_reference = allow;
        }
    }

    /// `Group.IsValidName`: a mention name of lower-case letters, digits, `.`, `-` and `_`.
    pub fn is_valid_name(name: &str) -> bool {
        !name.is_empty()
            && name.len() <= NAME_MAX_LENGTH
            && name.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')
            })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GroupPatch {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub allow_reference: Option<bool>,
}

/// `POST /groups` (`model.GroupWithUserIds`): the group's fields and its first members, side
/// by side in one object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct NewGroup {
    pub name: Option<String>,
    pub display_name: String,
    pub description: String,
    pub source: String,
    pub remote_id: Option<String>,
    pub allow_reference: bool,
    pub user_ids: Vec<String>,
}

/// The body of `POST` and `DELETE /groups/{id}/members` (`model.GroupModifyMembers`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GroupModifyMembers {
    pub user_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupMember {
    pub group_id: String,
    pub user_id: String,
    pub create_at: i64,
    pub delete_at: i64,
}

/// What a group is linked to (`model.GroupSyncableType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncableType {
    Team,
    Channel,
}

impl SyncableType {
    /// From the path segment (`teams` or `channels`).
    pub fn from_path(segment: &str) -> Option<SyncableType> {
        match segment {
            "teams" => Some(SyncableType::Team),
            "channels" => Some(SyncableType::Channel),
            _ => None,
        }
    }

    /// `Team` or `Channel`, as Mattermost names the type in its parameter errors.
    pub fn name(self) -> &'static str {
        match self {
            SyncableType::Team => "Team",
            SyncableType::Channel => "Channel",
        }
    }
}

/// A group's link to a team or channel, with the names Mattermost joins in for the system
/// console (team ones for a team; channel and team ones for a channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSyncable {
    pub group_id: String,
    pub auto_add: bool,
    pub scheme_admin: bool,
    pub create_at: i64,
    pub delete_at: i64,
    pub update_at: i64,
    #[serde(skip)]
    pub kind: SyncableType,
    #[serde(skip)]
    pub syncable_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<String>,
    pub team_id: String,
    pub team_display_name: String,
    pub team_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GroupSyncablePatch {
    pub auto_add: Option<bool>,
    pub scheme_admin: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupStats {
    pub group_id: String,
    pub total_member_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_names_are_lower_case_words() {
        assert!(Group::is_valid_name("dev-team.eu_1"));
        assert!(!Group::is_valid_name("Dev"));
        assert!(!Group::is_valid_name("a b"));
        assert!(!Group::is_valid_name(""));
    }

    #[test]
    fn an_unnamed_group_has_no_name_key() {
        let g = Group::default();
        let json = serde_json::to_value(&g).unwrap();
        assert!(json.get("name").is_none());
        assert!(json.get("member_count").is_none());
        assert_eq!(json["remote_id"], serde_json::Value::Null);
    }
}
