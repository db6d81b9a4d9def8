//! `@group` mentions (Mattermost's `insertGroupMentions`): a message that names `@name` of
//! a mentionable group mentions the group's members who are in the channel, when the poster
//! may use group mentions there. In a group-constrained channel (or one of a constrained
//! team) only the groups linked to it count, as Mattermost's
//! `getGroupsAllowedForReferenceInChannel`.

use crate::{App, AppResult};
use std::collections::BTreeSet;
use utmost_model::channel::Channel;
use utmost_model::group::SyncableType;
use utmost_store::groups as store;

/// Group names read per message, at most.
const MAX_NAMES: usize = 50;

/// The members of `channel` that the `@names` (those no member's keyword matched) mention
/// as groups; at most `limit`. No query runs for a message without such names.
pub async fn members_named(
    app: &App,
    channel: &Channel,
    names: &[String],
    limit: usize,
) -> AppResult<BTreeSet<String>> {
    let names: BTreeSet<String> = names
        .iter()
        .map(|n| n.to_lowercase())
        .filter(|n| utmost_model::group::Group::is_valid_name(n))
        .take(MAX_NAMES)
        .collect();
    if names.is_empty() || channel.team_id.is_empty() {
        return Ok(BTreeSet::new());
    }
    let names: Vec<String> = names.into_iter().collect();
    let mut groups = store::referenceable_by_names(&app.store, &names).await?;
    if groups.is_empty() {
        return Ok(BTreeSet::new());
    }
    let team_constrained = crate::teams::get(app, &channel.team_id)
        .await?
        .is_group_constrained();
    if channel.is_group_constrained() || team_constrained {
        let (kind, id) = if channel.is_group_constrained() {
            (SyncableType::Channel, &channel.id)
        } else {
            (SyncableType::Team, &channel.team_id)
        };
        let mut linked = Vec::with_capacity(groups.len());
        for group in groups {
            if store::syncables::get(&app.store, kind, &group.id, id)
                .await?
                .is_some()
            {
                linked.push(group);
            }
        }
        groups = linked;
    }
    let ids: Vec<String> = groups.into_iter().map(|g| g.id).collect();
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let members = store::members::in_channel(&app.store, &ids, &channel.id, limit).await?;
    Ok(members.into_iter().collect())
}
