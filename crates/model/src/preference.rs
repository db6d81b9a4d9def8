use crate::AppError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Saved posts: the name is the post id.
pub const CATEGORY_FLAGGED_POST: &str = "flagged_post";
/// Colour themes: the value is a JSON object of colours.
pub const CATEGORY_THEME: &str = "theme";
pub const CATEGORY_SIDEBAR_SETTINGS: &str = "sidebar_settings";
pub const NAME_LIMIT_VISIBLE_DMS_GMS: &str = "limit_visible_dms_gms";

const MAX_CATEGORY_LENGTH: usize = 32;
const MAX_NAME_LENGTH: usize = 32;
/// Mattermost's `MaxPreferenceValueLength`, counted in characters.
const MAX_VALUE_LENGTH: usize = 20_000;
const MAX_VISIBLE_DMS_GMS: i64 = 40;
/// Theme keys that are not colours and so are kept as sent.
const THEME_NON_COLOUR_KEYS: [&str; 3] = ["image", "type", "codeTheme"];

/// One user preference (`model/preference.go`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Preference {
    pub user_id: String,
    pub category: String,
    pub name: String,
    pub value: String,
}

impl Preference {
    /// Mattermost's `Preference.IsValid`: 400 `model.preference.is_valid.<field>.app_error`.
    pub fn validate(&self) -> Result<(), AppError> {
        let invalid = |field: &str| {
            AppError::bad_request(
                &format!("model.preference.is_valid.{field}.app_error"),
                format!("Invalid preference {field}."),
            )
        };
        if !crate::is_valid_id(&self.user_id) {
            return Err(invalid("id"));
        }
        if self.category.is_empty() || self.category.len() > MAX_CATEGORY_LENGTH {
            return Err(invalid("category"));
        }
        if self.name.len() > MAX_NAME_LENGTH {
            return Err(invalid("name"));
        }
        if self.value.chars().count() > MAX_VALUE_LENGTH {
            return Err(invalid("value"));
        }
        if self.category == CATEGORY_THEME && theme_colours(&self.value).is_none() {
            return Err(invalid("theme"));
        }
        if self.category == CATEGORY_SIDEBAR_SETTINGS && self.name == NAME_LIMIT_VISIBLE_DMS_GMS {
            let visible = self.value.parse::<i64>().unwrap_or(0);
            if !(1..=MAX_VISIBLE_DMS_GMS).contains(&visible) {
                return Err(invalid("limit_visible_dms_gms"));
            }
        }
        Ok(())
    }

    /// Mattermost's `Preference.PreUpdate`: in a theme, any colour that is not `#rgb` or
    /// `#rrggbb` becomes `#ffffff`, so a client cannot smuggle CSS into other sessions.
    pub fn sanitize(&mut self) {
        if self.category != CATEGORY_THEME {
            return;
        }
        let Some(mut theme) = theme_colours(&self.value) else {
            return;
        };
        for (key, value) in theme.iter_mut() {
            if !THEME_NON_COLOUR_KEYS.contains(&key.as_str()) && !is_hex_colour(value) {
                *value = "#ffffff".to_string();
            }
        }
        if let Ok(json) = serde_json::to_string(&theme) {
            self.value = json;
        }
    }
}

fn theme_colours(value: &str) -> Option<BTreeMap<String, String>> {
    serde_json::from_str(value).ok()
}

fn is_hex_colour(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|hex| {
        (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pref(category: &str, name: &str, value: &str) -> Preference {
        Preference {
            user_id: crate::new_id(),
            category: category.into(),
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn validation_ids() {
        assert!(pref("display_settings", "use_military_time", "true")
            .validate()
            .is_ok());
        let id = |p: Preference| p.validate().unwrap_err().id;
        assert_eq!(
            id(pref(&"c".repeat(33), "n", "")),
            "model.preference.is_valid.category.app_error"
        );
        assert_eq!(
            id(pref("c", &"n".repeat(33), "")),
            "model.preference.is_valid.name.app_error"
        );
        assert_eq!(
            id(pref("theme", "", "not json")),
            "model.preference.is_valid.theme.app_error"
        );
        assert_eq!(
            id(pref("sidebar_settings", "limit_visible_dms_gms", "41")),
            "model.preference.is_valid.limit_visible_dms_gms.app_error"
        );
        let mut no_user = pref("c", "n", "");
        no_user.user_id.clear();
        assert_eq!(id(no_user), "model.preference.is_valid.id.app_error");
    }

    #[test]
    fn theme_colours_are_sanitised() {
        let mut p = pref(
            "theme",
            "",
            r##"{"type":"Custom","sidebarBg":"#fff","linkColor":"red;x"}"##,
        );
        p.sanitize();
        let theme = theme_colours(&p.value).unwrap();
        assert_eq!(theme["sidebarBg"], "#fff");
        assert_eq!(theme["linkColor"], "#ffffff");
        assert_eq!(theme["type"], "Custom");
    }
}
