//! What Utmost tells clients about licensing (Mattermost's `utils.GetClientLicense`).
//! Every feature Mattermost sells is simply there, and Mattermost's clients show a feature's
//! screens only when the licence map says it is licensed: so the map names every feature as
//! available, under Utmost's own name. It is not a Mattermost licence: there is no customer,
//! no licence id of Mattermost's, no seat count and no expiry to renew.

use std::collections::BTreeMap;

/// The feature flags of Mattermost's client licence, all granted. `Cloud` is not a
/// feature but a kind of deployment, and stays off.
const FEATURES: [&str; 25] = [
    "LDAP",
    "LDAPGroups",
    "MFA",
    "SAML",
    "Cluster",
    "Metrics",
    "GoogleOAuth",
    "Office365OAuth",
    "OpenId",
    "Compliance",
    "MHPNS",
    "Announcement",
    "Elasticsearch",
    "DataRetention",
    "IDLoadedPushNotifications",
    "EmailNotificationContents",
    "MessageExport",
    "CustomPermissionsSchemes",
    "GuestAccounts",
    "GuestAccountsPermissions",
    "CustomTermsOfService",
    "LockTeammateNameDisplay",
    "SharedChannels",
    "RemoteClusterService",
    "OutgoingOAuthConnections",
];

/// Far enough ahead that no client ever warns of an expiry: 9999-12-31.
const NEVER_EXPIRES: i64 = 253_402_214_400_000;

/// `GET /license/client?format=old`: `full` for callers with `read_license_information`,
/// otherwise without the fields Mattermost's `GetSanitizedClientLicense` removes.
pub fn client_license(full: bool) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = FEATURES
        .iter()
        .map(|f| (f.to_string(), "true".to_string()))
        .collect();
    for (key, value) in [
        ("IsLicensed", "true"),
        ("Cloud", "false"),
        ("IsTrial", "false"),
        ("IsGovSku", "false"),
        // The highest tier Mattermost's clients know: every tier-gated screen shows.
        ("SkuShortName", "advanced"),
        ("Company", ""),
    ] {
        map.insert(key.to_string(), value.to_string());
    }
    if full {
        for (key, value) in [
            ("Id", "utmost".to_string()),
            ("Name", "Utmost".to_string()),
            ("Email", String::new()),
            ("SkuName", "Utmost: every feature included".to_string()),
            ("IssuedAt", "0".to_string()),
            ("StartsAt", "0".to_string()),
            ("ExpiresAt", NEVER_EXPIRES.to_string()),
        ] {
            map.insert(key.to_string(), value);
        }
    }
    map
}

/// `GET /trial-license/prev`: there never was a trial.
pub fn previous_trial_license() -> BTreeMap<String, String> {
    [("IsLicensed".to_string(), "false".to_string())].into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_is_granted_and_the_sanitized_map_hides_the_licence_fields() {
        let full = client_license(true);
        let sanitized = client_license(false);
        for feature in FEATURES {
            assert_eq!(sanitized[feature], "true", "{feature}");
        }
        assert_eq!(sanitized["IsLicensed"], "true");
        assert_eq!(sanitized["Cloud"], "false");
        for hidden in [
            "Id",
            "Name",
            "Email",
            "IssuedAt",
            "StartsAt",
            "ExpiresAt",
            "SkuName",
        ] {
            assert!(!sanitized.contains_key(hidden), "{hidden}");
            assert!(full.contains_key(hidden), "{hidden}");
        }
        assert!(!full.contains_key("Users"), "no seat count to exceed");
    }
}
