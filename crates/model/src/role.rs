use serde::{Deserialize, Serialize};

/// Mattermost's `RoleNameMaxLength`.
const MAX_ROLE_NAME_LENGTH: usize = 64;

/// A role row as the API returns it (`model/role.go`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub permissions: Vec<String>,
    pub scheme_managed: bool,
    pub built_in: bool,
}

/// The body of `PUT /roles/{role_id}/patch`; an absent `permissions` leaves them alone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct RolePatch {
    pub permissions: Option<Vec<String>>,
}

/// Mattermost's `IsValidRoleName`: 1–64 characters of `a-z 0-9 _`.
pub fn is_valid_role_name(name: &str) -> bool {
    (1..=MAX_ROLE_NAME_LENGTH).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names() {
        assert!(is_valid_role_name("system_user"));
        assert!(!is_valid_role_name(""));
        assert!(!is_valid_role_name("System"));
        assert!(!is_valid_role_name("a-b"));
        assert!(!is_valid_role_name(&"a".repeat(65)));
    }
}
