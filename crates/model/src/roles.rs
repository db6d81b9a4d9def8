//! Mattermost's built-in roles, their default permissions, and the pure permission engine
//! every handler, WebSocket action and slash command asks.
//!
//! Role names are what users, team members and channel members carry (space separated) in
//! their `roles` fields. [`builtin_roles`] is what a fresh Mattermost 10.3 install has in its
//! `Roles` table: `MakeDefaultRoles()` plus the emoji migration and every permission migration
//! of `app/permissions_migrations.go` applied to it (they all run on a fresh database, because
//! none of their `Systems` keys exists yet).
//!
//! The engine ([`RolePermissions`]) is a plain map from role name to permission set; it is
//! built from [`builtin_roles`] or from rows loaded from the database and never does I/O.

use std::collections::{HashMap, HashSet};

use crate::permissions::{self as p, with_ancillary};

// ---------------------------------------------------------------------------
// Role names

pub const SYSTEM_ADMIN: &str = "system_admin";
pub const SYSTEM_USER: &str = "system_user";
pub const SYSTEM_GUEST: &str = "system_guest";
pub const SYSTEM_USER_MANAGER: &str = "system_user_manager";
pub const SYSTEM_MANAGER: &str = "system_manager";
pub const SYSTEM_READ_ONLY_ADMIN: &str = "system_read_only_admin";
pub const SYSTEM_CUSTOM_GROUP_ADMIN: &str = "system_custom_group_admin";
/// Given to bots and personal access tokens that may post in every channel.
pub const SYSTEM_POST_ALL: &str = "system_post_all";
/// Given to bots and personal access tokens that may post in every public channel.
pub const SYSTEM_POST_ALL_PUBLIC: &str = "system_post_all_public";
/// Lets a user manage their own personal access tokens.
pub const SYSTEM_USER_ACCESS_TOKEN: &str = "system_user_access_token";

pub const TEAM_ADMIN: &str = "team_admin";
pub const TEAM_USER: &str = "team_user";
pub const TEAM_GUEST: &str = "team_guest";
pub const TEAM_POST_ALL: &str = "team_post_all";
pub const TEAM_POST_ALL_PUBLIC: &str = "team_post_all_public";

pub const CHANNEL_ADMIN: &str = "channel_admin";
pub const CHANNEL_USER: &str = "channel_user";
pub const CHANNEL_GUEST: &str = "channel_guest";

/// Every member of a custom user group implicitly holds this role within the group.
pub const CUSTOM_GROUP_USER: &str = "custom_group_user";

pub const PLAYBOOK_ADMIN: &str = "playbook_admin";
pub const PLAYBOOK_MEMBER: &str = "playbook_member";
pub const RUN_ADMIN: &str = "run_admin";
pub const RUN_MEMBER: &str = "run_member";

// ---------------------------------------------------------------------------
// Built-in role definitions

/// One row of the `Roles` table as a fresh install seeds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltinRole {
    pub name: &'static str,
    /// What Mattermost stores: an i18n id the web app translates, e.g.
    /// `authentication.roles.global_admin.name`.
    pub display_name: &'static str,
    /// Likewise an i18n id, e.g. `authentication.roles.global_admin.description`.
    pub description: &'static str,
    pub permissions: Vec<&'static str>,
    /// Edited through permission schemes rather than directly.
    pub scheme_managed: bool,
    /// Mattermost's `built_in` column: true for every role here except `custom_group_user`,
    /// which `MakeDefaultRoles` leaves unflagged.
    pub built_in: bool,
}

/// The channel bookmark permissions (public and private channels), granted together.
const BOOKMARK_PERMISSIONS: [&str; 8] = [
    p::ADD_BOOKMARK_PUBLIC_CHANNEL,
    p::EDIT_BOOKMARK_PUBLIC_CHANNEL,
    p::DELETE_BOOKMARK_PUBLIC_CHANNEL,
    p::ORDER_BOOKMARK_PUBLIC_CHANNEL,
    p::ADD_BOOKMARK_PRIVATE_CHANNEL,
    p::EDIT_BOOKMARK_PRIVATE_CHANNEL,
    p::DELETE_BOOKMARK_PRIVATE_CHANNEL,
    p::ORDER_BOOKMARK_PRIVATE_CHANNEL,
];

/// The `sysconsole_read_authentication_*` sections, shared by the three admin-console roles.
const AUTHENTICATION_READ: [&str; 8] = [
    p::SYSCONSOLE_READ_AUTHENTICATION_SIGNUP,
    p::SYSCONSOLE_READ_AUTHENTICATION_EMAIL,
    p::SYSCONSOLE_READ_AUTHENTICATION_PASSWORD,
    p::SYSCONSOLE_READ_AUTHENTICATION_MFA,
    p::SYSCONSOLE_READ_AUTHENTICATION_LDAP,
    p::SYSCONSOLE_READ_AUTHENTICATION_SAML,
    p::SYSCONSOLE_READ_AUTHENTICATION_OPENID,
    p::SYSCONSOLE_READ_AUTHENTICATION_GUEST_ACCESS,
];

fn concat(parts: &[&[&'static str]]) -> Vec<&'static str> {
    parts.iter().flat_map(|part| part.iter().copied()).collect()
}

fn channel_guest_permissions() -> Vec<&'static str> {
    vec![
        p::READ_CHANNEL,
        p::READ_CHANNEL_CONTENT,
        p::ADD_REACTION,
        p::REMOVE_REACTION,
        p::UPLOAD_FILE,
        p::EDIT_POST,
        p::CREATE_POST,
        p::USE_CHANNEL_MENTIONS,
    ]
}

fn channel_user_permissions() -> Vec<&'static str> {
    concat(&[
        &[
            p::READ_CHANNEL,
            p::READ_CHANNEL_CONTENT,
            p::ADD_REACTION,
            p::REMOVE_REACTION,
            p::MANAGE_PUBLIC_CHANNEL_MEMBERS,
            p::UPLOAD_FILE,
            p::GET_PUBLIC_LINK,
            p::CREATE_POST,
            p::USE_CHANNEL_MENTIONS,
            p::MANAGE_PUBLIC_CHANNEL_PROPERTIES,
            p::DELETE_PUBLIC_CHANNEL,
            p::MANAGE_PRIVATE_CHANNEL_PROPERTIES,
            p::DELETE_PRIVATE_CHANNEL,
            p::MANAGE_PRIVATE_CHANNEL_MEMBERS,
            p::DELETE_POST,
            p::EDIT_POST,
        ],
        &BOOKMARK_PERMISSIONS,
        // Added on a fresh install by the migrations: use_group_mentions to roles that can
        // post (add_use_group_mentions_permission); the channel-group reads to roles that
        // manage members (add_system_console_permissions).
        &[
            p::USE_GROUP_MENTIONS,
            p::READ_PUBLIC_CHANNEL_GROUPS,
            p::READ_PRIVATE_CHANNEL_GROUPS,
        ],
    ])
}

fn channel_admin_permissions() -> Vec<&'static str> {
    concat(&[
        &[p::MANAGE_CHANNEL_ROLES, p::USE_GROUP_MENTIONS],
        &BOOKMARK_PERMISSIONS,
        // Added by the migrations: create_post and the moderated permissions channel members
        // hold (channel_moderations_permissions), then the channel-group reads
        // (add_system_console_permissions) and upload_file (add_upload_file_permission).
        &[
            p::CREATE_POST,
            p::ADD_REACTION,
            p::REMOVE_REACTION,
            p::MANAGE_PUBLIC_CHANNEL_MEMBERS,
            p::MANAGE_PRIVATE_CHANNEL_MEMBERS,
            p::USE_CHANNEL_MENTIONS,
            p::READ_PUBLIC_CHANNEL_GROUPS,
            p::READ_PRIVATE_CHANNEL_GROUPS,
            p::UPLOAD_FILE,
        ],
    ])
}

fn team_user_permissions() -> Vec<&'static str> {
    vec![
        p::LIST_TEAM_CHANNELS,
        p::JOIN_PUBLIC_CHANNELS,
        p::READ_PUBLIC_CHANNEL,
        p::VIEW_TEAM,
        p::CREATE_PUBLIC_CHANNEL,
        p::CREATE_PRIVATE_CHANNEL,
        p::INVITE_USER,
        p::ADD_USER_TO_TEAM,
        // Added by the playbooks migration to roles that can create channels.
        p::PLAYBOOK_PUBLIC_CREATE,
        p::PLAYBOOK_PRIVATE_CREATE,
    ]
}

fn team_admin_permissions() -> Vec<&'static str> {
    concat(&[
        &[
            p::REMOVE_USER_FROM_TEAM,
            p::MANAGE_TEAM,
            p::IMPORT_TEAM,
            p::MANAGE_TEAM_ROLES,
            p::MANAGE_CHANNEL_ROLES,
            p::MANAGE_OTHERS_INCOMING_WEBHOOKS,
            p::MANAGE_OTHERS_OUTGOING_WEBHOOKS,
            p::BYPASS_INCOMING_WEBHOOK_CHANNEL_LOCK,
            p::MANAGE_SLASH_COMMANDS,
            p::MANAGE_OTHERS_SLASH_COMMANDS,
            p::MANAGE_INCOMING_WEBHOOKS,
            p::MANAGE_OUTGOING_WEBHOOKS,
            p::CONVERT_PUBLIC_CHANNEL_TO_PRIVATE,
            p::CONVERT_PRIVATE_CHANNEL_TO_PUBLIC,
            p::DELETE_POST,
            p::DELETE_OTHERS_POSTS,
        ],
        &BOOKMARK_PERMISSIONS,
        // Added by the migrations: create_post and the moderated permissions
        // (channel_moderations_permissions), use_group_mentions, the channel-group reads,
        // the playbook role management (playbooks_manage_roles) and upload_file.
        &[
            p::CREATE_POST,
            p::ADD_REACTION,
            p::REMOVE_REACTION,
            p::MANAGE_PUBLIC_CHANNEL_MEMBERS,
            p::MANAGE_PRIVATE_CHANNEL_MEMBERS,
            p::USE_CHANNEL_MENTIONS,
            p::USE_GROUP_MENTIONS,
            p::READ_PUBLIC_CHANNEL_GROUPS,
            p::READ_PRIVATE_CHANNEL_GROUPS,
            p::PLAYBOOK_PUBLIC_MANAGE_ROLES,
            p::PLAYBOOK_PRIVATE_MANAGE_ROLES,
            p::UPLOAD_FILE,
        ],
    ])
}

fn system_user_permissions() -> Vec<&'static str> {
    vec![
        p::LIST_PUBLIC_TEAMS,
        p::JOIN_PUBLIC_TEAMS,
        p::CREATE_DIRECT_CHANNEL,
        p::CREATE_GROUP_CHANNEL,
        p::VIEW_MEMBERS,
        p::CREATE_TEAM,
        p::CREATE_CUSTOM_GROUP,
        p::EDIT_CUSTOM_GROUP,
        p::DELETE_CUSTOM_GROUP,
        p::RESTORE_CUSTOM_GROUP,
        p::MANAGE_CUSTOM_GROUP_MEMBERS,
        // Added by the emoji permissions migration (custom emoji creation open to all).
        p::CREATE_EMOJIS,
        p::DELETE_EMOJIS,
    ]
}

fn system_user_manager_permissions() -> Vec<&'static str> {
    with_ancillary(&concat(&[
        &[
            p::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS,
            p::SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
            p::SYSCONSOLE_WRITE_USER_MANAGEMENT_TEAMS,
            p::SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
        ],
        &AUTHENTICATION_READ,
    ]))
}

fn system_read_only_admin_permissions() -> Vec<&'static str> {
    with_ancillary(&concat(&[
        &[
            p::SYSCONSOLE_READ_ABOUT_EDITION_AND_LICENSE,
            p::SYSCONSOLE_READ_REPORTING_SITE_STATISTICS,
            p::SYSCONSOLE_READ_REPORTING_TEAM_STATISTICS,
            p::SYSCONSOLE_READ_REPORTING_SERVER_LOGS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS,
            p::SYSCONSOLE_READ_ENVIRONMENT_WEB_SERVER,
            p::SYSCONSOLE_READ_ENVIRONMENT_DATABASE,
            p::SYSCONSOLE_READ_ENVIRONMENT_ELASTICSEARCH,
            p::SYSCONSOLE_READ_ENVIRONMENT_FILE_STORAGE,
            p::SYSCONSOLE_READ_ENVIRONMENT_IMAGE_PROXY,
            p::SYSCONSOLE_READ_ENVIRONMENT_SMTP,
            p::SYSCONSOLE_READ_ENVIRONMENT_PUSH_NOTIFICATION_SERVER,
            p::SYSCONSOLE_READ_ENVIRONMENT_HIGH_AVAILABILITY,
            p::SYSCONSOLE_READ_ENVIRONMENT_RATE_LIMITING,
            p::SYSCONSOLE_READ_ENVIRONMENT_LOGGING,
            p::SYSCONSOLE_READ_ENVIRONMENT_SESSION_LENGTHS,
            p::SYSCONSOLE_READ_ENVIRONMENT_PERFORMANCE_MONITORING,
            p::SYSCONSOLE_READ_ENVIRONMENT_DEVELOPER,
            p::SYSCONSOLE_READ_SITE_CUSTOMIZATION,
            p::SYSCONSOLE_READ_SITE_LOCALIZATION,
            p::SYSCONSOLE_READ_SITE_USERS_AND_TEAMS,
            p::SYSCONSOLE_READ_SITE_NOTIFICATIONS,
            p::SYSCONSOLE_READ_SITE_ANNOUNCEMENT_BANNER,
            p::SYSCONSOLE_READ_SITE_EMOJI,
            p::SYSCONSOLE_READ_SITE_POSTS,
            p::SYSCONSOLE_READ_SITE_FILE_SHARING_AND_DOWNLOADS,
            p::SYSCONSOLE_READ_SITE_PUBLIC_LINKS,
            p::SYSCONSOLE_READ_SITE_NOTICES,
        ],
        &AUTHENTICATION_READ,
        &[
            p::SYSCONSOLE_READ_PLUGINS,
            p::SYSCONSOLE_READ_INTEGRATIONS_INTEGRATION_MANAGEMENT,
            p::SYSCONSOLE_READ_INTEGRATIONS_BOT_ACCOUNTS,
            p::SYSCONSOLE_READ_INTEGRATIONS_GIF,
            p::SYSCONSOLE_READ_INTEGRATIONS_CORS,
            p::SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY,
            p::SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_EXPORT,
            p::SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_MONITORING,
            p::SYSCONSOLE_READ_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE,
            p::SYSCONSOLE_READ_EXPERIMENTAL_FEATURES,
            p::SYSCONSOLE_READ_EXPERIMENTAL_FEATURE_FLAGS,
            p::SYSCONSOLE_READ_EXPERIMENTAL_BLEVE,
            p::SYSCONSOLE_READ_PRODUCTS_BOARDS,
        ],
    ]))
}

fn system_manager_permissions() -> Vec<&'static str> {
    with_ancillary(&concat(&[
        &[
            p::SYSCONSOLE_READ_ABOUT_EDITION_AND_LICENSE,
            p::SYSCONSOLE_READ_REPORTING_SITE_STATISTICS,
            p::SYSCONSOLE_READ_REPORTING_TEAM_STATISTICS,
            p::SYSCONSOLE_READ_REPORTING_SERVER_LOGS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
            p::SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS,
            p::SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
            p::SYSCONSOLE_WRITE_USER_MANAGEMENT_TEAMS,
            p::SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
            p::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
            p::SYSCONSOLE_READ_ENVIRONMENT_WEB_SERVER,
            p::SYSCONSOLE_READ_ENVIRONMENT_DATABASE,
            p::SYSCONSOLE_READ_ENVIRONMENT_ELASTICSEARCH,
            p::SYSCONSOLE_READ_ENVIRONMENT_FILE_STORAGE,
            p::SYSCONSOLE_READ_ENVIRONMENT_IMAGE_PROXY,
            p::SYSCONSOLE_READ_ENVIRONMENT_SMTP,
            p::SYSCONSOLE_READ_ENVIRONMENT_PUSH_NOTIFICATION_SERVER,
            p::SYSCONSOLE_READ_ENVIRONMENT_HIGH_AVAILABILITY,
            p::SYSCONSOLE_READ_ENVIRONMENT_RATE_LIMITING,
            p::SYSCONSOLE_READ_ENVIRONMENT_LOGGING,
            p::SYSCONSOLE_READ_ENVIRONMENT_SESSION_LENGTHS,
            p::SYSCONSOLE_READ_ENVIRONMENT_PERFORMANCE_MONITORING,
            p::SYSCONSOLE_READ_ENVIRONMENT_DEVELOPER,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_WEB_SERVER,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_DATABASE,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_ELASTICSEARCH,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_FILE_STORAGE,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_IMAGE_PROXY,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_SMTP,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_PUSH_NOTIFICATION_SERVER,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_HIGH_AVAILABILITY,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_RATE_LIMITING,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_LOGGING,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_SESSION_LENGTHS,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_PERFORMANCE_MONITORING,
            p::SYSCONSOLE_WRITE_ENVIRONMENT_DEVELOPER,
            p::SYSCONSOLE_READ_SITE_CUSTOMIZATION,
            p::SYSCONSOLE_WRITE_SITE_CUSTOMIZATION,
            p::SYSCONSOLE_READ_SITE_LOCALIZATION,
            p::SYSCONSOLE_WRITE_SITE_LOCALIZATION,
            p::SYSCONSOLE_READ_SITE_USERS_AND_TEAMS,
            p::SYSCONSOLE_WRITE_SITE_USERS_AND_TEAMS,
            p::SYSCONSOLE_READ_SITE_NOTIFICATIONS,
            p::SYSCONSOLE_WRITE_SITE_NOTIFICATIONS,
            p::SYSCONSOLE_READ_SITE_ANNOUNCEMENT_BANNER,
            p::SYSCONSOLE_WRITE_SITE_ANNOUNCEMENT_BANNER,
            p::SYSCONSOLE_READ_SITE_EMOJI,
            p::SYSCONSOLE_WRITE_SITE_EMOJI,
            p::SYSCONSOLE_READ_SITE_POSTS,
            p::SYSCONSOLE_WRITE_SITE_POSTS,
            p::SYSCONSOLE_READ_SITE_FILE_SHARING_AND_DOWNLOADS,
            p::SYSCONSOLE_WRITE_SITE_FILE_SHARING_AND_DOWNLOADS,
            p::SYSCONSOLE_READ_SITE_PUBLIC_LINKS,
            p::SYSCONSOLE_WRITE_SITE_PUBLIC_LINKS,
            p::SYSCONSOLE_READ_SITE_NOTICES,
            p::SYSCONSOLE_WRITE_SITE_NOTICES,
        ],
        &AUTHENTICATION_READ,
        &[
            p::SYSCONSOLE_READ_PLUGINS,
            p::SYSCONSOLE_READ_INTEGRATIONS_INTEGRATION_MANAGEMENT,
            p::SYSCONSOLE_READ_INTEGRATIONS_BOT_ACCOUNTS,
            p::SYSCONSOLE_READ_INTEGRATIONS_GIF,
            p::SYSCONSOLE_READ_INTEGRATIONS_CORS,
            p::SYSCONSOLE_WRITE_INTEGRATIONS_INTEGRATION_MANAGEMENT,
            p::SYSCONSOLE_WRITE_INTEGRATIONS_BOT_ACCOUNTS,
            p::SYSCONSOLE_WRITE_INTEGRATIONS_GIF,
            p::SYSCONSOLE_WRITE_INTEGRATIONS_CORS,
            p::SYSCONSOLE_READ_PRODUCTS_BOARDS,
            p::SYSCONSOLE_WRITE_PRODUCTS_BOARDS,
            p::MANAGE_OUTGOING_OAUTH_CONNECTIONS,
        ],
    ]))
}

fn system_custom_group_admin_permissions() -> Vec<&'static str> {
    vec![
        p::CREATE_CUSTOM_GROUP,
        p::EDIT_CUSTOM_GROUP,
        p::DELETE_CUSTOM_GROUP,
        p::RESTORE_CUSTOM_GROUP,
        p::MANAGE_CUSTOM_GROUP_MEMBERS,
    ]
}

/// A built-in role whose i18n ids follow `authentication.roles.<name>.*`.
fn role(
    name: &'static str,
    display_name: &'static str,
    description: &'static str,
    permissions: Vec<&'static str>,
    scheme_managed: bool,
) -> BuiltinRole {
    BuiltinRole {
        name,
        display_name,
        description,
        permissions,
        scheme_managed,
        built_in: true,
    }
}

/// Mattermost's built-in roles with the permissions a fresh 10.3 install stores for them.
///
/// `system_admin` holds every live permission ([`p::ALL`]). The others are
/// `MakeDefaultRoles()` plus what the fresh-install migrations add; each addition is
/// commented where it is listed.
pub fn builtin_roles() -> Vec<BuiltinRole> {
    vec![
        // --- system ---
        role(
            SYSTEM_ADMIN,
            "authentication.roles.global_admin.name",
            "authentication.roles.global_admin.description",
            p::ALL.to_vec(),
            true,
        ),
        role(
            SYSTEM_USER,
            "authentication.roles.global_user.name",
            "authentication.roles.global_user.description",
            system_user_permissions(),
            true,
        ),
        role(
            SYSTEM_GUEST,
            "authentication.roles.global_guest.name",
            "authentication.roles.global_guest.description",
            vec![p::CREATE_DIRECT_CHANNEL, p::CREATE_GROUP_CHANNEL],
            true,
        ),
        role(
            SYSTEM_USER_MANAGER,
            "authentication.roles.system_user_manager.name",
            "authentication.roles.system_user_manager.description",
            system_user_manager_permissions(),
            false,
        ),
        role(
            SYSTEM_READ_ONLY_ADMIN,
            "authentication.roles.system_read_only_admin.name",
            "authentication.roles.system_read_only_admin.description",
            system_read_only_admin_permissions(),
            false,
        ),
        role(
            SYSTEM_MANAGER,
            "authentication.roles.system_manager.name",
            "authentication.roles.system_manager.description",
            system_manager_permissions(),
            false,
        ),
        role(
            SYSTEM_CUSTOM_GROUP_ADMIN,
            "authentication.roles.system_custom_group_admin.name",
            "authentication.roles.system_custom_group_admin.description",
            system_custom_group_admin_permissions(),
            false,
        ),
        role(
            SYSTEM_POST_ALL,
            "authentication.roles.system_post_all.name",
            "authentication.roles.system_post_all.description",
            // use_group_mentions and upload_file added by the migrations.
            vec![
                p::CREATE_POST,
                p::USE_CHANNEL_MENTIONS,
                p::USE_GROUP_MENTIONS,
                p::UPLOAD_FILE,
            ],
            false,
        ),
        role(
            SYSTEM_POST_ALL_PUBLIC,
            "authentication.roles.system_post_all_public.name",
            "authentication.roles.system_post_all_public.description",
            // use_group_mentions added by the migrations.
            vec![
                p::CREATE_POST_PUBLIC,
                p::USE_CHANNEL_MENTIONS,
                p::USE_GROUP_MENTIONS,
            ],
            false,
        ),
        role(
            SYSTEM_USER_ACCESS_TOKEN,
            "authentication.roles.system_user_access_token.name",
            "authentication.roles.system_user_access_token.description",
            vec![
                p::CREATE_USER_ACCESS_TOKEN,
                p::READ_USER_ACCESS_TOKEN,
                p::REVOKE_USER_ACCESS_TOKEN,
            ],
            false,
        ),
        // --- team ---
        role(
            TEAM_ADMIN,
            "authentication.roles.team_admin.name",
            "authentication.roles.team_admin.description",
            team_admin_permissions(),
            true,
        ),
        role(
            TEAM_USER,
            "authentication.roles.team_user.name",
            "authentication.roles.team_user.description",
            team_user_permissions(),
            true,
        ),
        role(
            TEAM_GUEST,
            "authentication.roles.team_guest.name",
            "authentication.roles.team_guest.description",
            vec![p::VIEW_TEAM],
            true,
        ),
        role(
            TEAM_POST_ALL,
            "authentication.roles.team_post_all.name",
            "authentication.roles.team_post_all.description",
            // use_group_mentions and upload_file added by the migrations.
            vec![
                p::CREATE_POST,
                p::USE_CHANNEL_MENTIONS,
                p::USE_GROUP_MENTIONS,
                p::UPLOAD_FILE,
            ],
            false,
        ),
        role(
            TEAM_POST_ALL_PUBLIC,
            "authentication.roles.team_post_all_public.name",
            "authentication.roles.team_post_all_public.description",
            // use_group_mentions added by the migrations.
            vec![
                p::CREATE_POST_PUBLIC,
                p::USE_CHANNEL_MENTIONS,
                p::USE_GROUP_MENTIONS,
            ],
            false,
        ),
        // --- channel ---
        role(
            CHANNEL_ADMIN,
            "authentication.roles.channel_admin.name",
            "authentication.roles.channel_admin.description",
            channel_admin_permissions(),
            true,
        ),
        role(
            CHANNEL_USER,
            "authentication.roles.channel_user.name",
            "authentication.roles.channel_user.description",
            channel_user_permissions(),
            true,
        ),
        role(
            CHANNEL_GUEST,
            "authentication.roles.channel_guest.name",
            "authentication.roles.channel_guest.description",
            channel_guest_permissions(),
            true,
        ),
        // --- custom groups ---
        BuiltinRole {
            name: CUSTOM_GROUP_USER,
            display_name: "authentication.roles.custom_group_user.name",
            description: "authentication.roles.custom_group_user.description",
            permissions: Vec::new(),
            scheme_managed: false,
            built_in: false,
        },
        // --- playbooks ---
        role(
            PLAYBOOK_ADMIN,
            "authentication.roles.playbook_admin.name",
            "authentication.roles.playbook_admin.description",
            vec![
                p::PLAYBOOK_PUBLIC_MANAGE_MEMBERS,
                p::PLAYBOOK_PUBLIC_MANAGE_ROLES,
                p::PLAYBOOK_PUBLIC_MANAGE_PROPERTIES,
                p::PLAYBOOK_PRIVATE_MANAGE_MEMBERS,
                p::PLAYBOOK_PRIVATE_MANAGE_ROLES,
                p::PLAYBOOK_PRIVATE_MANAGE_PROPERTIES,
                p::PLAYBOOK_PUBLIC_MAKE_PRIVATE,
            ],
            true,
        ),
        role(
            PLAYBOOK_MEMBER,
            "authentication.roles.playbook_member.name",
            "authentication.roles.playbook_member.description",
            vec![
                p::PLAYBOOK_PUBLIC_VIEW,
                p::PLAYBOOK_PUBLIC_MANAGE_MEMBERS,
                p::PLAYBOOK_PUBLIC_MANAGE_PROPERTIES,
                p::PLAYBOOK_PRIVATE_VIEW,
                p::PLAYBOOK_PRIVATE_MANAGE_MEMBERS,
                p::PLAYBOOK_PRIVATE_MANAGE_PROPERTIES,
                p::RUN_CREATE,
            ],
            true,
        ),
        role(
            RUN_ADMIN,
            "authentication.roles.run_admin.name",
            "authentication.roles.run_admin.description",
            vec![p::RUN_MANAGE_MEMBERS, p::RUN_MANAGE_PROPERTIES],
            true,
        ),
        role(
            RUN_MEMBER,
            "authentication.roles.run_member.name",
            "authentication.roles.run_member.description",
            vec![p::RUN_VIEW],
            true,
        ),
    ]
}

// ---------------------------------------------------------------------------
// The engine

/// Role name -> permission set, built from [`builtin_roles`] or from rows loaded from the
/// database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolePermissions {
    roles: HashMap<String, HashSet<String>>,
}

impl RolePermissions {
    /// The built-in roles with their fresh-install permissions.
    pub fn builtin() -> Self {
        let roles = builtin_roles()
            .into_iter()
            .map(|role| {
                let permissions = role.permissions.iter().map(|p| p.to_string()).collect();
                (role.name.to_string(), permissions)
            })
            .collect();
        Self { roles }
    }

    /// From `(name, permissions)` pairs, e.g. the `Roles` table. Leave out deleted roles
    /// (`delete_at != 0`): Mattermost ignores them when checking permissions.
    pub fn from_roles<'a>(roles: impl IntoIterator<Item = (&'a str, &'a [String])>) -> Self {
        let roles = roles
            .into_iter()
            .map(|(name, permissions)| (name.to_string(), permissions.iter().cloned().collect()))
            .collect();
        Self { roles }
    }

    /// Adds or replaces one role, e.g. after `PUT /roles/{id}/patch`.
    pub fn set_role(&mut self, name: &str, permissions: impl IntoIterator<Item = String>) {
        self.roles
            .insert(name.to_string(), permissions.into_iter().collect());
    }

    /// Drops a role, e.g. when it is deleted.
    pub fn remove_role(&mut self, name: &str) {
        self.roles.remove(name);
    }

    /// The permissions of one role, `None` for an unknown role.
    pub fn permissions(&self, role: &str) -> Option<&HashSet<String>> {
        self.roles.get(role)
    }

    /// True when any of the space-separated role names grants `permission`.
    /// Unknown role names grant nothing.
    pub fn roles_grant(&self, roles: &str, permission: &str) -> bool {
        roles.split_whitespace().any(|role| {
            self.roles
                .get(role)
                .is_some_and(|permissions| permissions.contains(permission))
        })
    }

    /// Mattermost's `SessionHasPermissionTo`: the user's system roles (`User.roles`).
    pub fn has_system(&self, system_roles: &str, permission: &str) -> bool {
        self.roles_grant(system_roles, permission)
    }

    /// Mattermost's `SessionHasPermissionToTeam`: system roles, then the roles of the user's
    /// membership in the team (`None` when the user is not a member).
    pub fn has_team(&self, system_roles: &str, team_roles: Option<&str>, permission: &str) -> bool {
        self.has_system(system_roles, permission)
            || team_roles.is_some_and(|roles| self.roles_grant(roles, permission))
    }

    /// Mattermost's `SessionHasPermissionToChannel`: system roles (where `manage_system`
    /// alone is enough), then the roles of the user's channel membership, then the roles of
    /// their membership in the channel's team. Pass `None` for a membership the user does not
    /// have, and for the team of a direct or group message channel.
    pub fn has_channel(
        &self,
        system_roles: &str,
        channel_roles: Option<&str>,
        team_roles: Option<&str>,
        permission: &str,
    ) -> bool {
        self.roles_grant(system_roles, p::MANAGE_SYSTEM)
            || self.has_system(system_roles, permission)
            || channel_roles.is_some_and(|roles| self.roles_grant(roles, permission))
            || team_roles.is_some_and(|roles| self.roles_grant(roles, permission))
    }
}

// ---------------------------------------------------------------------------
// Member roles <-> scheme flags
//
// Team and channel members store `explicit_roles` plus three scheme flags; the API's `roles`
// field is the explicit roles followed by the roles the flags stand for. With no custom
// schemes those are the built-in names. Mattermost reads legacy rows whose `roles` column
// still holds `team_user`/`team_admin` (or the channel names) as set flags.

/// The `roles` string of a team member: explicit roles, then `team_guest`, `team_user`,
/// `team_admin` for the flags that are set (each only once).
pub fn effective_team_roles(
    explicit: &str,
    scheme_guest: bool,
    scheme_user: bool,
    scheme_admin: bool,
) -> String {
    effective_roles(
        explicit,
        [
            (scheme_guest, TEAM_GUEST),
            (scheme_user, TEAM_USER),
            (scheme_admin, TEAM_ADMIN),
        ],
    )
}

/// The `roles` string of a channel member: explicit roles, then `channel_guest`,
/// `channel_user`, `channel_admin` for the flags that are set (each only once).
pub fn effective_channel_roles(
    explicit: &str,
    scheme_guest: bool,
    scheme_user: bool,
    scheme_admin: bool,
) -> String {
    effective_roles(
        explicit,
        [
            (scheme_guest, CHANNEL_GUEST),
            (scheme_user, CHANNEL_USER),
            (scheme_admin, CHANNEL_ADMIN),
        ],
    )
}

/// Splits a team member's `roles` string into `(explicit_roles, scheme_guest, scheme_user,
/// scheme_admin)`: the built-in team role names become flags, everything else stays explicit.
pub fn split_explicit_team_roles(roles: &str) -> (String, bool, bool, bool) {
    split_roles(roles, [TEAM_GUEST, TEAM_USER, TEAM_ADMIN])
}

/// Splits a channel member's `roles` string into `(explicit_roles, scheme_guest, scheme_user,
/// scheme_admin)`: the built-in channel role names become flags, everything else stays
/// explicit.
pub fn split_explicit_channel_roles(roles: &str) -> (String, bool, bool, bool) {
    split_roles(roles, [CHANNEL_GUEST, CHANNEL_USER, CHANNEL_ADMIN])
}

fn effective_roles(explicit: &str, implied: [(bool, &str); 3]) -> String {
    let mut roles: Vec<&str> = explicit.split_whitespace().collect();
    for (set, name) in implied {
        if set && !roles.contains(&name) {
            roles.push(name);
        }
    }
    roles.join(" ")
}

fn split_roles(roles: &str, [guest, user, admin]: [&str; 3]) -> (String, bool, bool, bool) {
    let (mut is_guest, mut is_user, mut is_admin) = (false, false, false);
    let mut explicit: Vec<&str> = Vec::new();
    for role in roles.split_whitespace() {
        if role == guest {
            is_guest = true;
        } else if role == user {
            is_user = true;
        } else if role == admin {
            is_admin = true;
        } else {
            explicit.push(role);
        }
    }
    (explicit.join(" "), is_guest, is_user, is_admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> RolePermissions {
        RolePermissions::builtin()
    }

    fn builtin(name: &str) -> BuiltinRole {
        match builtin_roles().into_iter().find(|r| r.name == name) {
            Some(role) => role,
            None => panic!("no built-in role {name}"),
        }
    }

    #[test]
    fn system_admin_has_every_permission() {
        let engine = engine();
        for permission in p::ALL {
            assert!(engine.has_system(SYSTEM_ADMIN, permission), "{permission}");
        }
        assert_eq!(builtin(SYSTEM_ADMIN).permissions.len(), p::ALL.len());
    }

    #[test]
    fn system_user_defaults() {
        let engine = engine();
        assert!(engine.has_system(SYSTEM_USER, p::CREATE_TEAM));
        assert!(engine.has_system(SYSTEM_USER, p::CREATE_DIRECT_CHANNEL));
        assert!(engine.has_system(SYSTEM_USER, p::CREATE_GROUP_CHANNEL));
        assert!(engine.has_system(SYSTEM_USER, p::CREATE_EMOJIS));
        assert!(!engine.has_system(SYSTEM_USER, p::MANAGE_SYSTEM));
        assert!(!engine.has_system(SYSTEM_USER, p::CREATE_POST));
        assert!(!engine.has_system(SYSTEM_USER, p::EDIT_OTHER_USERS));
        // Mattermost's exact count for a fresh install.
        assert_eq!(builtin(SYSTEM_USER).permissions.len(), 13);
    }

    #[test]
    fn team_user_can_create_public_channel() {
        let engine = engine();
        assert!(engine.has_team(SYSTEM_USER, Some(TEAM_USER), p::CREATE_PUBLIC_CHANNEL));
        assert!(engine.has_team(SYSTEM_USER, Some(TEAM_USER), p::VIEW_TEAM));
        assert!(!engine.has_team(SYSTEM_USER, None, p::CREATE_PUBLIC_CHANNEL));
        assert!(!engine.has_team(SYSTEM_USER, Some(TEAM_USER), p::MANAGE_TEAM));
        assert!(engine.has_team(SYSTEM_USER, Some("team_user team_admin"), p::MANAGE_TEAM));
        assert!(engine.has_team(SYSTEM_ADMIN, None, p::MANAGE_TEAM));
    }

    #[test]
    fn channel_user_can_create_post() {
        let engine = engine();
        assert!(engine.has_channel(SYSTEM_USER, Some(CHANNEL_USER), None, p::CREATE_POST));
        assert!(engine.has_channel(SYSTEM_USER, Some(CHANNEL_USER), None, p::UPLOAD_FILE));
        assert!(!engine.has_channel(SYSTEM_USER, None, None, p::CREATE_POST));
        assert!(!engine.has_channel(
            SYSTEM_USER,
            Some(CHANNEL_USER),
            Some(TEAM_USER),
            p::DELETE_OTHERS_POSTS
        ));
    }

    #[test]
    fn guests_cannot_create_public_channels() {
        let engine = engine();
        assert!(!engine.has_team(SYSTEM_GUEST, Some(TEAM_GUEST), p::CREATE_PUBLIC_CHANNEL));
        assert!(!engine.has_channel(
            SYSTEM_GUEST,
            Some(CHANNEL_GUEST),
            Some(TEAM_GUEST),
            p::CREATE_PUBLIC_CHANNEL
        ));
        assert!(!engine.has_system(SYSTEM_GUEST, p::CREATE_TEAM));
        assert!(engine.has_channel(SYSTEM_GUEST, Some(CHANNEL_GUEST), None, p::CREATE_POST));
        assert!(!engine.has_channel(
            SYSTEM_GUEST,
            Some(CHANNEL_GUEST),
            None,
            p::USE_GROUP_MENTIONS
        ));
    }

    #[test]
    fn has_channel_falls_back_to_team_roles() {
        let engine = engine();
        // A team admin who is not a channel member may still delete others' posts there.
        assert!(engine.has_channel(
            SYSTEM_USER,
            None,
            Some("team_user team_admin"),
            p::DELETE_OTHERS_POSTS
        ));
        // Team roles grant read_public_channel without a channel membership.
        assert!(engine.has_channel(SYSTEM_USER, None, Some(TEAM_USER), p::READ_PUBLIC_CHANNEL));
        assert!(!engine.has_channel(SYSTEM_USER, None, None, p::READ_PUBLIC_CHANNEL));
    }

    #[test]
    fn has_channel_checks_system_roles() {
        let engine = engine();
        assert!(engine.has_channel(SYSTEM_ADMIN, None, None, p::CREATE_POST));
        // Bots with system_post_all may post anywhere without being members.
        assert!(engine.has_channel("system_user system_post_all", None, None, p::CREATE_POST));
        // manage_system alone is enough, even in a custom role that lacks the permission.
        let custom = RolePermissions::from_roles([("sysop", &["manage_system".to_string()][..])]);
        assert!(custom.has_channel("sysop", None, None, p::CREATE_POST));
        assert!(!custom.has_team("sysop", None, p::CREATE_POST));
    }

    #[test]
    fn roles_grant_splits_and_ignores_unknown_roles() {
        let engine = engine();
        assert!(engine.roles_grant("  no_such_role   channel_user ", p::CREATE_POST));
        assert!(!engine.roles_grant("no_such_role", p::CREATE_POST));
        assert!(!engine.roles_grant("", p::CREATE_POST));
        assert!(!engine.roles_grant(CHANNEL_USER, "no_such_permission"));
    }

    #[test]
    fn from_roles_and_updates() {
        let rows = [
            ("team_user".to_string(), vec!["view_team".to_string()]),
            ("custom".to_string(), vec!["create_post".to_string()]),
        ];
        let mut engine =
            RolePermissions::from_roles(rows.iter().map(|(n, ps)| (n.as_str(), ps.as_slice())));
        assert!(engine.roles_grant(TEAM_USER, p::VIEW_TEAM));
        assert!(!engine.roles_grant(TEAM_USER, p::CREATE_PUBLIC_CHANNEL));
        assert!(engine.roles_grant("custom", p::CREATE_POST));
        engine.set_role(TEAM_USER, [p::CREATE_PUBLIC_CHANNEL.to_string()]);
        assert!(engine.roles_grant(TEAM_USER, p::CREATE_PUBLIC_CHANNEL));
        assert!(!engine.roles_grant(TEAM_USER, p::VIEW_TEAM));
        engine.remove_role("custom");
        assert!(engine.permissions("custom").is_none());
    }

    #[test]
    fn effective_and_split_round_trip() {
        for explicit in ["", "custom_role", "a b"] {
            for bits in 0..8u8 {
                let (g, u, a) = (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0);
                let team = effective_team_roles(explicit, g, u, a);
                assert_eq!(
                    split_explicit_team_roles(&team),
                    (explicit.to_string(), g, u, a)
                );
                let channel = effective_channel_roles(explicit, g, u, a);
                assert_eq!(
                    split_explicit_channel_roles(&channel),
                    (explicit.to_string(), g, u, a)
                );
            }
        }
    }

    #[test]
    fn effective_roles_order_like_mattermost() {
        assert_eq!(effective_team_roles("", false, true, false), "team_user");
        assert_eq!(
            effective_team_roles("", false, true, true),
            "team_user team_admin"
        );
        assert_eq!(
            effective_channel_roles("shared_channel_manager", false, true, false),
            "shared_channel_manager channel_user"
        );
        assert_eq!(
            effective_channel_roles("", true, false, false),
            "channel_guest"
        );
        // A legacy name already in the explicit roles is not repeated.
        assert_eq!(
            effective_team_roles("team_admin", false, true, true),
            "team_admin team_user"
        );
    }

    #[test]
    fn split_converts_legacy_role_strings() {
        assert_eq!(
            split_explicit_team_roles("team_user team_admin"),
            (String::new(), false, true, true)
        );
        assert_eq!(
            split_explicit_channel_roles(" channel_user  custom "),
            ("custom".to_string(), false, true, false)
        );
        // Names of the other level stay explicit.
        assert_eq!(
            split_explicit_channel_roles("team_user"),
            ("team_user".to_string(), false, false, false)
        );
    }

    #[test]
    fn every_builtin_permission_is_live() {
        for role in builtin_roles() {
            for permission in &role.permissions {
                assert!(p::ALL.contains(permission), "{}: {permission}", role.name);
            }
        }
    }

    #[test]
    fn builtin_roles_are_unique_and_duplicate_free() {
        let roles = builtin_roles();
        let names: HashSet<&str> = roles.iter().map(|r| r.name).collect();
        assert_eq!(names.len(), roles.len());
        for role in &roles {
            let set: HashSet<&str> = role.permissions.iter().copied().collect();
            assert_eq!(set.len(), role.permissions.len(), "{} repeats", role.name);
            assert!(role.display_name.starts_with("authentication.roles."));
            assert!(role.display_name.ends_with(".name"));
            assert!(role.description.ends_with(".description"));
        }
    }

    #[test]
    fn scheme_managed_flags() {
        for name in [
            SYSTEM_ADMIN,
            SYSTEM_USER,
            SYSTEM_GUEST,
            TEAM_ADMIN,
            TEAM_USER,
            TEAM_GUEST,
            CHANNEL_ADMIN,
            CHANNEL_USER,
            CHANNEL_GUEST,
        ] {
            assert!(builtin(name).scheme_managed, "{name}");
        }
        for name in [
            SYSTEM_POST_ALL,
            SYSTEM_POST_ALL_PUBLIC,
            SYSTEM_USER_ACCESS_TOKEN,
            SYSTEM_USER_MANAGER,
            SYSTEM_MANAGER,
            SYSTEM_READ_ONLY_ADMIN,
            SYSTEM_CUSTOM_GROUP_ADMIN,
            TEAM_POST_ALL,
            TEAM_POST_ALL_PUBLIC,
            CUSTOM_GROUP_USER,
        ] {
            assert!(!builtin(name).scheme_managed, "{name}");
        }
        assert!(!builtin(CUSTOM_GROUP_USER).built_in);
        assert!(builtin(SYSTEM_ADMIN).built_in);
    }

    #[test]
    fn fresh_install_permission_counts() {
        // Counts of MakeDefaultRoles() plus the fresh-install migrations at 10.3.
        let expected = [
            (CHANNEL_GUEST, 8),
            (CHANNEL_USER, 27),
            (CHANNEL_ADMIN, 19),
            (TEAM_GUEST, 1),
            (TEAM_USER, 10),
            // 35, and Mattermost 11's bypass_incoming_webhook_channel_lock.
            (TEAM_ADMIN, 36),
            (TEAM_POST_ALL, 4),
            (TEAM_POST_ALL_PUBLIC, 3),
            (SYSTEM_GUEST, 2),
            (SYSTEM_POST_ALL, 4),
            (SYSTEM_POST_ALL_PUBLIC, 3),
            (SYSTEM_USER_ACCESS_TOKEN, 3),
            (SYSTEM_USER_MANAGER, 39),
            (SYSTEM_READ_ONLY_ADMIN, 72),
            (SYSTEM_MANAGER, 120),
            (SYSTEM_CUSTOM_GROUP_ADMIN, 5),
            (CUSTOM_GROUP_USER, 0),
        ];
        for (name, count) in expected {
            assert_eq!(builtin(name).permissions.len(), count, "{name}");
        }
    }

    #[test]
    fn console_roles_get_their_ancillary_permissions() {
        let engine = engine();
        assert!(engine.has_system(SYSTEM_READ_ONLY_ADMIN, p::GET_ANALYTICS));
        assert!(engine.has_system(SYSTEM_READ_ONLY_ADMIN, p::READ_AUDITS));
        assert!(!engine.has_system(SYSTEM_READ_ONLY_ADMIN, p::MANAGE_SYSTEM));
        assert!(engine.has_system(SYSTEM_MANAGER, p::TEST_EMAIL));
        assert!(engine.has_system(SYSTEM_MANAGER, p::MANAGE_TEAM));
        assert!(!engine.has_system(SYSTEM_MANAGER, p::EDIT_OTHER_USERS));
        assert!(engine.has_system(SYSTEM_USER_MANAGER, p::READ_LDAP_SYNC_JOB));
        assert!(engine.has_system(SYSTEM_USER_MANAGER, p::CONVERT_PRIVATE_CHANNEL_TO_PUBLIC));
    }
}
