//! The preference shortcuts of a `user` line (`UserImportData`: `theme`, `military_time`, …):
//! each names one row of `preferences`, as Mattermost's importer writes it and its exporter
//! reads it back.

use utmost_model::preference::Preference;

/// (shortcut field, category, preference name; "" means the user's id, for `tutorial_step`).
pub const SHORTCUTS: [(&str, &str, &str); 18] = [
    ("theme", "theme", "-"),
    ("military_time", "display_settings", "use_military_time"),
    ("collapse_previews", "display_settings", "collapse_previews"),
    ("message_display", "display_settings", "message_display"),
    (
        "collapse_consecutive_messages",
        "display_settings",
        "collapse_consecutive_messages",
    ),
    (
        "colorize_usernames",
        "display_settings",
        "colorize_usernames",
    ),
    (
        "channel_display_mode",
        "display_settings",
        "channel_display_mode",
    ),
    ("tutorial_step", "tutorial_step", ""),
    (
        "use_markdown_preview",
        "advanced_settings",
        "feature_enabled_markdown_preview",
    ),
    ("use_formatting", "advanced_settings", "formatting"),
    (
        "show_unread_section",
        "sidebar_settings",
        "show_unread_section",
    ),
    ("email_interval", "notifications", "email_interval"),
    ("name_format", "display_settings", "name_format"),
    (
        "send_on_ctrl_enter",
        "advanced_settings",
        "send_on_ctrl_enter",
    ),
    (
        "code_block_ctrl_enter",
        "advanced_settings",
        "code_block_ctrl_enter",
    ),
    ("show_join_leave", "advanced_settings", "join_leave"),
    ("sync_drafts", "advanced_settings", "sync_drafts"),
    (
        "limit_visible_dms_gms",
        "sidebar_settings",
        "limit_visible_dms_gms",
    ),
];

/// The stored name of a shortcut's preference for `user_id` (the theme's is "").
fn stored_name<'a>(name: &'a str, user_id: &'a str) -> &'a str {
    match name {
        "-" => "",
        "" => user_id,
        n => n,
    }
}

/// The preference a shortcut field sets, or `None` for a field that is not a shortcut.
pub fn from_shortcut(user_id: &str, field: &str, value: &str) -> Option<Preference> {
    let (_, category, name) = SHORTCUTS.iter().find(|(f, _, _)| *f == field)?;
    Some(Preference {
        user_id: user_id.to_string(),
        category: category.to_string(),
        name: stored_name(name, user_id).to_string(),
        value: value.to_string(),
    })
}

/// The shortcut field a stored preference is written back as, if any.
pub fn to_shortcut(p: &Preference) -> Option<&'static str> {
    SHORTCUTS
        .iter()
        .find(|(_, category, name)| {
            *category == p.category && stored_name(name, &p.user_id) == p.name
        })
        .map(|(field, _, _)| *field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shortcut_reads_back_as_itself() {
        for (field, _, _) in SHORTCUTS {
            let p = from_shortcut("u1", field, "v").unwrap();
            assert_eq!(to_shortcut(&p), Some(field), "{field}");
        }
        assert!(from_shortcut("u1", "not_a_shortcut", "v").is_none());
    }
}
