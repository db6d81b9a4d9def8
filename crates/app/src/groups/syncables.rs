//! A group's links to teams and channels (Mattermost's `app/syncables.go` and the syncable
//! half of `app/group.go`), and keeping their members in step: members of groups linked with
//! `auto_add` join the team or channel; in a group-constrained team or channel, a member in
//! none of its groups is removed, and the members of groups linked with `scheme_admin` are its
//! admins (the others are not). `apply` runs after every link change (for that team or
//! channel) and at the end of each AD/LDAP sync (for all), in bounded batches.

use crate::bus::Event;
use crate::errors::GroupError;
use crate::{App, AppResult};
use utmost_model::group::{Group, GroupSyncable, GroupSyncablePatch, SyncableType};
use utmost_model::now_millis;
use utmost_store::groups::syncables::{self as store, Pending, PendingRole};

/// Memberships read per batch.
const BATCH: i64 = 500;

/// The team or channel a link is to, checked to exist; a channel's team id.
async fn parent_team(app: &App, kind: SyncableType, syncable_id: &str) -> AppResult<String> {
    Ok(match kind {
        SyncableType::Team => crate::teams::get(app, syncable_id).await?.id,
        SyncableType::Channel => {
            crate::channels::get_channel(app, syncable_id)
                .await?
                .team_id
        }
    })
}

/// `POST /groups/{id}/{teams|channels}/{syncable_id}/link` (`UpsertGroupSyncable`): links
/// the group, or updates the link's flags. A channel's team is linked too when it is not
/// yet, with the same `auto_add`. The members are then brought in step.
pub async fn link(
    app: &App,
    group: &Group,
    kind: SyncableType,
    syncable_id: &str,
    patch: &GroupSyncablePatch,
) -> AppResult<GroupSyncable> {
    if group.source != utmost_model::group::SOURCE_LDAP {
        return Err(GroupError::NotLdap.into());
    }
    let team_id = parent_team(app, kind, syncable_id).await?;
    let auto_add = patch.auto_add.unwrap_or(false);
    let scheme_admin = patch.scheme_admin.unwrap_or(false);
    if kind == SyncableType::Channel
        && store::get(&app.store, SyncableType::Team, &group.id, &team_id)
            .await?
            .is_none()
    {
        upsert(
            app,
            &group.id,
            SyncableType::Team,
            &team_id,
            auto_add,
            false,
        )
        .await?;
    }
    upsert(app, &group.id, kind, syncable_id, auto_add, scheme_admin).await?;
    apply(app, Some((kind, syncable_id))).await?;
    get(app, &group.id, kind, syncable_id).await
}

async fn upsert(
    app: &App,
    group_id: &str,
    kind: SyncableType,
    syncable_id: &str,
    auto_add: bool,
    scheme_admin: bool,
) -> AppResult<()> {
    let now = now_millis();
    store::upsert(
        &app.store,
        kind,
        group_id,
        syncable_id,
        auto_add,
        scheme_admin,
        now,
    )
    .await?;
    app.publish(Event::GroupSyncableChanged {
        kind,
        group_id: group_id.to_string(),
        syncable_id: syncable_id.to_string(),
        linked: true,
    })
    .await;
    Ok(())
}

/// `PUT …/{syncable_id}/patch`: changes a live link's `auto_add` and `scheme_admin`.
pub async fn patch(
    app: &App,
    group_id: &str,
    kind: SyncableType,
    syncable_id: &str,
    patch: &GroupSyncablePatch,
) -> AppResult<GroupSyncable> {
    let current = get(app, group_id, kind, syncable_id).await?;
    let auto_add = patch.auto_add.unwrap_or(current.auto_add);
    let scheme_admin = patch.scheme_admin.unwrap_or(current.scheme_admin);
    let now = now_millis();
    store::update(
        &app.store,
        kind,
        group_id,
        syncable_id,
        auto_add,
        scheme_admin,
        now,
    )
    .await?;
    apply(app, Some((kind, syncable_id))).await?;
    get(app, group_id, kind, syncable_id).await
}

/// `DELETE …/{syncable_id}/link`: the link is marked deleted; a group-constrained team or
/// channel then loses the members only that group admitted.
pub async fn unlink(
    app: &App,
    group_id: &str,
    kind: SyncableType,
    syncable_id: &str,
) -> AppResult<()> {
    if !store::delete(&app.store, kind, group_id, syncable_id, now_millis()).await? {
        return Err(GroupError::SyncableNotFound.into());
    }
    app.publish(Event::GroupSyncableChanged {
        kind,
        group_id: group_id.to_string(),
        syncable_id: syncable_id.to_string(),
        linked: false,
    })
    .await;
    apply(app, Some((kind, syncable_id))).await?;
    Ok(())
}

/// The group's live link to the team or channel.
pub async fn get(
    app: &App,
    group_id: &str,
    kind: SyncableType,
    syncable_id: &str,
) -> AppResult<GroupSyncable> {
    store::get(&app.store, kind, group_id, syncable_id)
        .await?
        .ok_or_else(|| GroupError::SyncableNotFound.into())
}

/// The group's live links of `kind`.
pub async fn of_group(
    app: &App,
    group_id: &str,
    kind: SyncableType,
) -> AppResult<Vec<GroupSyncable>> {
    Ok(store::of_group(&app.store, kind, group_id).await?)
}

/// Which of `user_ids` are in none of the groups linked to the team or channel (those a
/// group-constrained one refuses).
pub async fn outside_groups(
    app: &App,
    kind: SyncableType,
    syncable_id: &str,
    user_ids: &[String],
) -> AppResult<Vec<String>> {
    let inside = store::linked_members_among(&app.store, kind, syncable_id, user_ids).await?;
    Ok(user_ids
        .iter()
        .filter(|id| !inside.contains(id))
        .cloned()
        .collect())
}

/// What bringing memberships in step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ApplyReport {
    pub added_to_teams: u64,
    pub added_to_channels: u64,
    pub removed_from_teams: u64,
    pub removed_from_channels: u64,
    /// Members made admins of, or no longer admins of, group-constrained teams and channels.
    pub roles_changed: u64,
}

/// Brings memberships in step with the groups, for one team or channel or (`None`) all:
/// first the additions (teams, then channels), then the removals (teams, whose removal takes
/// the team's channels too, then channels). A membership that fails is logged and left.
pub async fn apply(app: &App, only: Option<(SyncableType, &str)>) -> AppResult<ApplyReport> {
    let scope = |kind: SyncableType| match only {
        None => Some(""),
        Some((k, id)) if k == kind => Some(id),
        // A channel's link also admits to its team, which the channel's additions join.
        Some(_) => None,
    };
    let mut report = ApplyReport::default();
    for kind in [SyncableType::Team, SyncableType::Channel] {
        if let Some(id) = scope(kind) {
            let added = batches(app, kind, id, Change::Add).await?;
            match kind {
                SyncableType::Team => report.added_to_teams = added,
                SyncableType::Channel => report.added_to_channels = added,
            }
        }
    }
    for kind in [SyncableType::Team, SyncableType::Channel] {
        if let Some(id) = scope(kind) {
            let removed = batches(app, kind, id, Change::Remove).await?;
            match kind {
                SyncableType::Team => report.removed_from_teams = removed,
                SyncableType::Channel => report.removed_from_channels = removed,
            }
        }
    }
    for kind in [SyncableType::Team, SyncableType::Channel] {
        if let Some(id) = scope(kind) {
            report.roles_changed += role_batches(app, kind, id).await?;
        }
    }
    Ok(report)
}

/// Gives the members of group-constrained teams and channels the admin role their groups
/// say, in batches until none is left (or a batch changes nothing).
async fn role_batches(app: &App, kind: SyncableType, only: &str) -> AppResult<u64> {
    let mut done = 0;
    loop {
        let batch = store::roles_to_change(&app.store, kind, only, BATCH).await?;
        let mut changed = 0;
        for pending in &batch {
            match set_admin(app, kind, pending).await {
                Ok(()) => changed += 1,
                Err(e) => tracing::warn!(
                    syncable_id = %pending.syncable_id, user_id = %pending.user_id, error = %e,
                    "could not bring a group member's role in step"
                ),
            }
        }
        done += changed;
        if changed == 0 || (batch.len() as i64) < BATCH {
            return Ok(done);
        }
    }
}

/// Makes a (non-guest) member an admin of the team or channel, or no longer one.
async fn set_admin(app: &App, kind: SyncableType, p: &PendingRole) -> AppResult<()> {
    match kind {
        SyncableType::Team => {
            let flags = utmost_model::team::SchemeRoles {
                scheme_admin: p.admin,
                scheme_user: true,
                scheme_guest: false,
            };
            crate::teams::update_member_scheme_roles(app, &p.syncable_id, &p.user_id, flags)
                .await?;
        }
        SyncableType::Channel => {
            let flags = (false, true, p.admin);
            crate::channels::update_member_scheme_roles(app, &p.syncable_id, &p.user_id, flags)
                .await?;
        }
    }
    tracing::info!(syncable_id = %p.syncable_id, user_id = %p.user_id, admin = p.admin, "role set by group sync");
    Ok(())
}

#[derive(Clone, Copy)]
enum Change {
    Add,
    Remove,
}

/// Applies one kind of change in batches until none is left, or a batch changes nothing
/// (its memberships all failed).
async fn batches(app: &App, kind: SyncableType, only: &str, change: Change) -> AppResult<u64> {
    let mut done = 0;
    loop {
        let batch = match change {
            Change::Add => store::members_to_add(&app.store, kind, only, BATCH).await?,
            Change::Remove => store::members_to_remove(&app.store, kind, only, BATCH).await?,
        };
        let mut changed = 0;
        for pending in &batch {
            let outcome = match change {
                Change::Add => add(app, kind, pending).await,
                Change::Remove => remove(app, kind, pending).await,
            };
            match outcome {
                Ok(()) => changed += 1,
                Err(e) => tracing::warn!(
                    syncable_id = %pending.syncable_id, user_id = %pending.user_id, error = %e,
                    "could not bring a group membership in step"
                ),
            }
        }
        done += changed;
        if changed == 0 || (batch.len() as i64) < BATCH {
            return Ok(done);
        }
    }
}

/// Adds a group member to a linked team, or to a linked channel (joining its team first
/// when they are not in it, as Mattermost's `createDefaultChannelMemberships`).
async fn add(app: &App, kind: SyncableType, p: &Pending) -> AppResult<()> {
    match kind {
        SyncableType::Team => {
            crate::teams::add_user(app, &p.syncable_id, &p.user_id).await?;
        }
        SyncableType::Channel => {
            let channel = crate::channels::get_channel(app, &p.syncable_id).await?;
            let in_team = utmost_store::teams::get_member(&app.store, &channel.team_id, &p.user_id)
                .await?
                .is_some_and(|m| m.delete_at == 0);
            if !in_team {
                crate::teams::add_user(app, &channel.team_id, &p.user_id).await?;
            }
            crate::channels::add_member(app, &channel, &p.user_id, "").await?;
        }
    }
    tracing::info!(syncable_id = %p.syncable_id, user_id = %p.user_id, "added by group sync");
    Ok(())
}

/// Removes a member of a group-constrained team or channel who is in none of its groups;
/// the channel hears it from the system bot, as in Mattermost.
async fn remove(app: &App, kind: SyncableType, p: &Pending) -> AppResult<()> {
    match kind {
        SyncableType::Team => {
            let team = crate::teams::get(app, &p.syncable_id).await?;
            let user = crate::users::get(app, &p.user_id).await?;
            crate::teams::remove_user_by(app, &team, &user, "").await?;
        }
        SyncableType::Channel => {
            let channel = crate::channels::get_channel(app, &p.syncable_id).await?;
            let bot = crate::system_bot::get_or_create(app).await?;
            crate::channels::remove_member(app, &channel, &p.user_id, &bot.id).await?;
        }
    }
    tracing::info!(syncable_id = %p.syncable_id, user_id = %p.user_id, "removed by group sync");
    Ok(())
}
