//! Who may read and write which setting through the config API: Mattermost's `access` tags
//! (`access.tsv`), each naming a System Console section whose `sysconsole_read_<section>` or
//! `sysconsole_write_<section>` permission opens the setting. `manage_system` opens every
//! setting, except that `RestrictSystemAdmin` closes the `write_restrictable` ones to writes.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Reading or writing, as in the permission names `sysconsole_read_*`, `sysconsole_write_*`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    Read,
    Write,
}

impl Access {
    fn word(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

const WRITE_RESTRICTABLE: &str = "write_restrictable";
const CLOUD_RESTRICTABLE: &str = "cloud_restrictable";
/// Open to readers of any System Console section.
const ANY_SYSCONSOLE_READ: &str = "*_read";
const MANAGE_SYSTEM: &str = "manage_system";

static TAGS: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    include_str!("access.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| line.split_once('\t'))
        .map(|(key, tags)| {
            let tags = tags.split(',').map(str::trim).filter(|t| !t.is_empty());
            (key, tags.collect())
        })
        .collect()
});

/// The settings objects below a section, such as `MessageExportSettings.GlobalRelaySettings`.
static NESTED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    TAGS.keys()
        .filter_map(|key| key.rsplit_once('.').map(|(parent, _)| parent))
        .filter(|parent| parent.contains('.'))
        .collect()
});

/// What the caller holds: `has(permission)` answers for their system roles,
/// `any_sysconsole_read` is whether they hold any `sysconsole_read_*` permission, and
/// `restrict_system_admin` is `ExperimentalSettings.RestrictSystemAdmin`.
pub struct Holder {
    pub has: Box<dyn Fn(&str) -> bool + Send + Sync>,
    pub any_sysconsole_read: bool,
    pub restrict_system_admin: bool,
}

impl Holder {
    /// May the caller read or write the setting at `path` (`Section.Key`)?
    pub fn may(&self, path: &str, access: Access) -> bool {
        let tags = TAGS.get(path).map(Vec::as_slice).unwrap_or_default();
        if access == Access::Write
            && self.restrict_system_admin
            && tags.contains(&WRITE_RESTRICTABLE)
        {
            return false;
        }
        let opens = |tag: &&str| match *tag {
            WRITE_RESTRICTABLE | CLOUD_RESTRICTABLE => false,
            ANY_SYSCONSOLE_READ => access == Access::Read && self.any_sysconsole_read,
            section => (self.has)(&format!("sysconsole_{}_{section}", access.word())),
        };
        tags.iter().any(opens) || (self.has)(MANAGE_SYSTEM)
    }

    /// The configuration document with every setting the caller may not read set to `null`,
    /// as Mattermost answers it.
    pub fn readable(&self, mut document: Value) -> Value {
        self.walk(&mut document, "", &mut |path, value| {
            if !self.may(path, Access::Read) {
                *value = Value::Null;
            }
        });
        document
    }

    /// `incoming` with every setting the caller may not write put back to its value in
    /// `current`. Both are whole documents as `Config` serialises them, so their keys are
    /// Mattermost's spelling whatever case a request used.
    pub fn writable(&self, mut incoming: Value, current: &Value) -> Value {
        self.walk(&mut incoming, "", &mut |path, value| {
            if !self.may(path, Access::Write) {
                *value = lookup(current, path).cloned().unwrap_or(Value::Null);
            }
        });
        incoming
    }

    /// Calls `leaf` for every setting: a value that is not an object, or an object the
    /// table knows no keys under (a map such as `PluginSettings.Plugins`).
    fn walk(&self, value: &mut Value, path: &str, leaf: &mut dyn FnMut(&str, &mut Value)) {
        match value {
            Value::Object(map) if has_children(path) => {
                for (key, child) in map.iter_mut() {
                    self.walk(child, &join(path, key), leaf);
                }
            }
            _ => leaf(path, value),
        }
    }
}

fn lookup<'v>(document: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(document, |v, key| v.get(key))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A section (`TeamSettings`) or a nested settings object (`MessageExportSettings.GlobalRelaySettings`).
/// A section with a tag of its own (`FeatureFlags`) is one setting.
fn has_children(path: &str) -> bool {
    !path.contains('.') && !TAGS.contains_key(path) || NESTED.contains(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holder(perms: &'static [&'static str]) -> Holder {
        Holder {
            has: Box::new(move |p: &str| perms.contains(&p)),
            any_sysconsole_read: perms.iter().any(|p| p.starts_with("sysconsole_read_")),
            restrict_system_admin: false,
        }
    }

    #[test]
    fn a_section_permission_opens_its_settings_only() {
        let banner = holder(&["sysconsole_read_site_announcement_banner"]);
        let doc = json!({
            "AnnouncementSettings": {"BannerText": "hi", "NoticesURL": "https://n"},
            "SqlSettings": {"DriverName": "postgres"},
            "FeatureFlags": {"X": true},
            "UtmostOnly": {"Key": 1},
        });
        let read = banner.readable(doc.clone());
        assert_eq!(read["AnnouncementSettings"]["BannerText"], "hi");
        assert_eq!(read["AnnouncementSettings"]["NoticesURL"], Value::Null);
        assert_eq!(read["SqlSettings"]["DriverName"], Value::Null);
        assert_eq!(
            read["FeatureFlags"],
            json!({"X": true}),
            "any console reader"
        );
        assert_eq!(read["UtmostOnly"]["Key"], Value::Null);
        assert_eq!(holder(&["manage_system"]).readable(doc.clone()), doc);
    }

    #[test]
    fn a_write_keeps_what_the_caller_may_not_change() {
        let current = json!({
            "TeamSettings": {"SiteName": "Old", "MaxUsersPerTeam": 50},
            "SqlSettings": {"DriverName": "postgres"},
        });
        let customization = holder(&["sysconsole_write_site_customization"]);
        let incoming = json!({
            "TeamSettings": {"SiteName": "New", "MaxUsersPerTeam": 9},
            "SqlSettings": {"DriverName": "sqlite3"},
        });
        let saved = customization.writable(incoming, &current);
        assert_eq!(
            saved,
            json!({
                "TeamSettings": {"SiteName": "New", "MaxUsersPerTeam": 50},
                "SqlSettings": {"DriverName": "postgres"},
            })
        );
    }

    #[test]
    fn restrict_system_admin_closes_restrictable_settings_to_writes() {
        let admin = Holder {
            restrict_system_admin: true,
            ..holder(&["manage_system"])
        };
        assert!(!admin.may("ServiceSettings.EnableDeveloper", Access::Write));
        assert!(admin.may("ServiceSettings.EnableDeveloper", Access::Read));
        assert!(admin.may("TeamSettings.SiteName", Access::Write));
    }

    #[test]
    fn nested_settings_are_reached() {
        let export = holder(&["sysconsole_read_compliance_compliance_export"]);
        let doc = json!({"MessageExportSettings": {"GlobalRelaySettings": {"SMTPUsername": "u"}}});
        let read = export.readable(doc);
        assert_eq!(
            read["MessageExportSettings"]["GlobalRelaySettings"]["SMTPUsername"],
            "u"
        );
    }
}
