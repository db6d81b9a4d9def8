//! Teams and team membership (`model/team.go`, `model/team_member.go`).

use crate::AppError;
use serde::{Deserialize, Serialize};

pub const TEAM_OPEN: &str = "O";
pub const TEAM_INVITE: &str = "I";

pub const TEAM_NAME_MIN_LENGTH: usize = 2;
pub const TEAM_NAME_MAX_LENGTH: usize = 64;
pub const TEAM_DISPLAY_NAME_MAX_RUNES: usize = 64;
pub const TEAM_DESCRIPTION_MAX_LENGTH: usize = 255;
pub const TEAM_EMAIL_MAX_LENGTH: usize = 128;
pub const TEAM_COMPANY_NAME_MAX_LENGTH: usize = 64;
pub const TEAM_ALLOWED_DOMAINS_MAX_LENGTH: usize = 500;

/// A team name may not start with any of these: they are (or were) routes of the web app.
pub const RESERVED_TEAM_NAME_PREFIXES: &[&str] = &[
    "admin",
    "api",
    "channel",
    "claim",
    "error",
    "files",
    "help",
    "landing",
    "login",
    "mfa",
    "oauth",
    "plug",
    "plugins",
    "post",
    "signup",
    "boards",
    "playbooks",
];

/// A team. `type` is "O" (open) or "I" (invite only).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Team {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub display_name: String,
    pub name: String,
    pub description: String,
    pub email: String,
    #[serde(rename = "type")]
    pub team_type: String,
    pub company_name: String,
    pub allowed_domains: String,
    pub invite_id: String,
    pub allow_open_invite: bool,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_team_icon_update: i64,
    pub scheme_id: Option<String>,
    pub group_constrained: Option<bool>,
    pub policy_id: Option<String>,
    pub cloud_limits_archived: bool,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::bad_request(&format!("model.team.is_valid.{field}.app_error"), message)
}

impl Team {
    /// Mattermost's `Team.IsValid` for the fields a client controls, in its order.
    pub fn is_valid(&self) -> Result<(), AppError> {
        if self.email.len() > TEAM_EMAIL_MAX_LENGTH
            || (!self.email.is_empty() && !is_valid_email(&self.email))
        {
            return Err(invalid("email", "Invalid email."));
        }
        let display_len = self.display_name.chars().count();
        if display_len == 0 || display_len > TEAM_DISPLAY_NAME_MAX_RUNES {
            return Err(invalid("name", "Invalid name."));
        }
        if self.name.len() > TEAM_NAME_MAX_LENGTH {
            return Err(invalid("url", "Invalid URL identifier."));
        }
        if self.description.len() > TEAM_DESCRIPTION_MAX_LENGTH {
            return Err(invalid("description", "Invalid description."));
        }
        if is_reserved_team_name(&self.name) {
            return Err(invalid(
                "reserved",
                "This URL is unavailable. Please try another.",
            ));
        }
        if !is_valid_team_name(&self.name) {
            return Err(invalid(
                "characters",
                "Name must be 2 or more lowercase alphanumeric characters.",
            ));
        }
        if self.team_type != TEAM_OPEN && self.team_type != TEAM_INVITE {
            return Err(invalid("type", "Invalid type."));
        }
        if self.company_name.len() > TEAM_COMPANY_NAME_MAX_LENGTH {
            return Err(invalid("company", "Invalid company name."));
        }
        if self.allowed_domains.len() > TEAM_ALLOWED_DOMAINS_MAX_LENGTH {
            return Err(invalid("domains", "Invalid allowed domains."));
        }
        Ok(())
    }

    /// What members without `manage_team` may not see (`Team.Sanitize`).
    pub fn sanitize(&mut self) {
        self.email.clear();
        self.invite_id.clear();
    }

    /// Applies the fields a patch carries (`Team.Patch`). Closing a team is left to the caller,
    /// which also regenerates the invite id.
    pub fn patch(&mut self, patch: &TeamPatch) {
        if let Some(v) = &patch.display_name {
            self.display_name.clone_from(v);
        }
        if let Some(v) = &patch.description {
            self.description.clone_from(v);
        }
        if let Some(v) = &patch.company_name {
            self.company_name.clone_from(v);
        }
        if let Some(v) = &patch.allowed_domains {
            self.allowed_domains.clone_from(v);
        }
        if let Some(v) = patch.allow_open_invite {
            self.allow_open_invite = v;
        }
        if let Some(v) = patch.group_constrained {
            self.group_constrained = Some(v);
        }
        if let Some(v) = patch.cloud_limits_archived {
            self.cloud_limits_archived = v;
        }
    }

    pub fn is_group_constrained(&self) -> bool {
        self.group_constrained == Some(true)
    }
}

/// Mattermost's `IsReservedTeamName`: the lower-cased name starts with a reserved word.
pub fn is_reserved_team_name(name: &str) -> bool {
    let name = name.to_lowercase();
    RESERVED_TEAM_NAME_PREFIXES
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Mattermost's `IsValidTeamName`: at least 2 of `a-z 0-9 -`, not starting or ending with
/// `-`; a single `__` may join two alphanumeric parts (`^[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+$`).
pub fn is_valid_team_name(name: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if name.len() < TEAM_NAME_MIN_LENGTH || !name.starts_with(alnum) || !name.ends_with(alnum) {
        return false;
    }
    match name.split_once("__") {
        Some((head, tail)) => head.chars().all(alnum) && tail.chars().all(alnum),
        None => name.chars().all(|c| alnum(c) || c == '-'),
    }
}

/// Mattermost's `IsValidEmail` in the shape teams need: lower case, one `@` with text on both
/// sides, no spaces.
fn is_valid_email(email: &str) -> bool {
    email.to_lowercase() == email
        && !email.chars().any(char::is_whitespace)
        && email.matches('@').count() == 1
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
}

/// `PUT /teams/{team_id}/patch`: only the fields present change.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TeamPatch {
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub company_name: Option<String>,
    pub allowed_domains: Option<String>,
    pub allow_open_invite: Option<bool>,
    pub group_constrained: Option<bool>,
    pub cloud_limits_archived: Option<bool>,
}

/// `GET /teams?include_total_count=true`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct TeamsWithCount {
    pub teams: Vec<Team>,
    pub total_count: i64,
}

/// A user's membership of a team. `roles` is what permission checks use: the explicit roles
/// followed by the scheme roles the flags stand for. `create_at` never leaves the server.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct TeamMember {
    pub team_id: String,
    pub user_id: String,
    pub roles: String,
    pub delete_at: i64,
    pub scheme_guest: bool,
    pub scheme_user: bool,
    pub scheme_admin: bool,
    pub explicit_roles: String,
    #[serde(skip)]
    pub create_at: i64,
}

/// One entry of `POST /teams/{team_id}/members/batch?graceful=true`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TeamMemberWithError {
    pub user_id: String,
    pub member: Option<TeamMember>,
    pub error: Option<AppError>,
}

/// `PUT /teams/{team_id}/members/{user_id}/schemeRoles`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct SchemeRoles {
    pub scheme_admin: bool,
    pub scheme_user: bool,
    pub scheme_guest: bool,
}

/// Unread counts of one team, summed over the user's channels in it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct TeamUnread {
    pub team_id: String,
    pub msg_count: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    pub msg_count_root: i64,
    pub thread_count: i64,
    pub thread_mention_count: i64,
    pub thread_urgent_mention_count: i64,
}

/// `GET /teams/{team_id}/stats`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct TeamStats {
    pub team_id: String,
    pub total_member_count: i64,
    pub active_member_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_team() -> Team {
        Team {
            display_name: "Team".into(),
            name: "my-team".into(),
            team_type: TEAM_OPEN.into(),
            ..Team::default()
        }
    }

    #[test]
    fn team_names() {
        for ok in ["ab", "my-team", "team9", "a__b", "ab__cd", "9to5"] {
            assert!(is_valid_team_name(ok), "{ok} should be valid");
        }
        for bad in [
            "a", "-ab", "ab-", "My-team", "a_b", "a__b-c", "a___b", "é-team", "",
        ] {
            assert!(!is_valid_team_name(bad), "{bad} should be invalid");
        }
    }

    #[test]
    fn reserved_names_are_prefixes() {
        assert!(is_reserved_team_name("api"));
        assert!(is_reserved_team_name("Admins"));
        assert!(is_reserved_team_name("signup-page"));
        assert!(!is_reserved_team_name("my-api"));
    }

    #[test]
    fn validation_order_and_ids() {
        assert!(valid_team().is_valid().is_ok());
        let id = |t: Team| t.is_valid().unwrap_err().id;
        assert_eq!(
            id(Team {
                display_name: String::new(),
                ..valid_team()
            }),
            "model.team.is_valid.name.app_error"
        );
        assert_eq!(
            id(Team {
                name: "x".repeat(65),
                ..valid_team()
            }),
            "model.team.is_valid.url.app_error"
        );
        assert_eq!(
            id(Team {
                name: "login".into(),
                ..valid_team()
            }),
            "model.team.is_valid.reserved.app_error"
        );
        assert_eq!(
            id(Team {
                name: "-bad".into(),
                ..valid_team()
            }),
            "model.team.is_valid.characters.app_error"
        );
        assert_eq!(
            id(Team {
                team_type: "P".into(),
                ..valid_team()
            }),
            "model.team.is_valid.type.app_error"
        );
        assert_eq!(
            id(Team {
                email: "Not An Email".into(),
                ..valid_team()
            }),
            "model.team.is_valid.email.app_error"
        );
    }

    #[test]
    fn member_create_at_stays_private() {
        let v = serde_json::to_value(TeamMember {
            create_at: 5,
            ..TeamMember::default()
        })
        .unwrap();
        assert!(v.get("create_at").is_none());
        assert_eq!(v["explicit_roles"], "");
    }

    #[test]
    fn team_json_shape() {
        let v = serde_json::to_value(valid_team()).unwrap();
        assert_eq!(v["type"], "O");
        assert!(v.get("last_team_icon_update").is_none());
        assert!(v["scheme_id"].is_null());
        assert!(v["policy_id"].is_null());
    }
}
