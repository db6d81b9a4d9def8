//! Sidebar categories (Mattermost's `app/channel_category.go`): each team member's default
//! categories (created on the first read and on joining the team), custom ones, their order
//! and the channels in them.

use crate::authorization::{can_act_on_user, has_system_permission, require};
use crate::bus::Event;
use crate::errors::CategoryError;
use crate::{App, AppResult};
use std::collections::{BTreeMap, HashSet};
use utmost_model::channel_sidebar::{
    OrderedSidebarCategories, SidebarCategory, DISPLAY_NAME_MAX_LENGTH, SORTINGS,
};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::categories::{self as store, Deleted, OrderSet};
use utmost_store::channels::Archived;

/// The most categories one update may name, and the most channels one category may hold.
pub const MAX_PER_REQUEST: usize = 1000;

/// The team-wide routes: `SessionHasPermissionToUser` for `user_id`, who must also be a live
/// member of the team (Mattermost answers a non-member with empty lists, and writes default
/// categories for a team they are not in).
pub async fn require_team_member(
    app: &App,
    session: &Session,
    user_id: &str,
    team_id: &str,
) -> AppResult<()> {
    require(
        can_act_on_user(app, session, user_id).await?,
        permissions::EDIT_OTHER_USERS,
    )?;
    let member = crate::caches::team_members::roles(app, team_id, user_id).await?;
    require(member.is_some(), permissions::VIEW_TEAM)
}

/// Mattermost's `SessionHasPermissionToCategory` for each of `category_ids`, in one read:
/// holders of `edit_other_users` may reach any category; anyone else only their own, named
/// with their own user and the category's team.
pub async fn can_reach_categories(
    app: &App,
    session: &Session,
    user_id: &str,
    team_id: &str,
    category_ids: &[String],
) -> AppResult<bool> {
    if has_system_permission(app, session, permissions::EDIT_OTHER_USERS) {
        return Ok(true);
    }
    if session.user_id != user_id {
        return Ok(false);
    }
    let owned: HashSet<String> = store::order(&app.store, user_id, team_id)
        .await?
        .into_iter()
        .collect();
    Ok(category_ids.iter().all(|id| owned.contains(id)))
}

/// 403 `edit_other_users` unless the session may reach the category.
pub async fn require_category(
    app: &App,
    session: &Session,
    user_id: &str,
    team_id: &str,
    category_id: &str,
) -> AppResult<()> {
    let ids = [category_id.to_string()];
    require(
        can_reach_categories(app, session, user_id, team_id, &ids).await?,
        permissions::EDIT_OTHER_USERS,
    )
}

/// The user's categories in the team, in order; the defaults are created when the user has
/// none yet (a member who joined before categories existed, or a migrated database).
pub async fn for_team(
    app: &App,
    user_id: &str,
    team_id: &str,
) -> AppResult<OrderedSidebarCategories> {
    let mut categories = store::for_team(&app.store, user_id, team_id).await?;
    if categories.is_empty() {
        create_defaults(app, user_id, team_id).await?;
        categories = store::for_team(&app.store, user_id, team_id).await?;
    }
    let order = categories.iter().map(|c| c.id.clone()).collect();
    Ok(OrderedSidebarCategories { categories, order })
}

/// Creates the user's missing default categories in the team (idempotent). Nothing is
/// published: Mattermost tells no client of these.
pub async fn create_defaults(app: &App, user_id: &str, team_id: &str) -> AppResult<()> {
    store::create_defaults(&app.store, user_id, team_id)
        .await
        .map_err(|e| {
            AppError::internal(
                "app.channel.create_initial_sidebar_categories.internal_error",
                e,
            )
        })
}

pub async fn get(app: &App, category_id: &str) -> AppResult<SidebarCategory> {
    store::get(&app.store, category_id)
        .await?
        .ok_or_else(|| CategoryError::NotFound.into())
}

pub async fn order(app: &App, user_id: &str, team_id: &str) -> AppResult<Vec<String>> {
    Ok(store::order(&app.store, user_id, team_id).await?)
}

/// The checks of a category in a request body: a known sorting, a name that fits the column,
/// not too many channels.
pub fn check(category: &SidebarCategory) -> AppResult<()> {
    if !SORTINGS.contains(&category.sorting.as_str())
        || category.display_name.chars().count() > DISPLAY_NAME_MAX_LENGTH
        || category.channel_ids.len() > MAX_PER_REQUEST
    {
        return Err(AppError::invalid_param("category"));
    }
    Ok(())
}

/// Mattermost's `validateSidebarCategoryChannels`: channels the user is not a member of in
/// the team (archived ones and DMs and GMs count) are dropped, as are repeats.
pub async fn keep_member_channels(
    app: &App,
    user_id: &str,
    team_id: &str,
    categories: &mut [SidebarCategory],
) -> AppResult<()> {
    let channels =
        utmost_store::channels::team_channels_for_user(&app.store, team_id, user_id, Archived::All)
            .await?;
    let member_of: HashSet<&str> = channels.iter().map(|c| c.id.as_str()).collect();
    for category in categories {
        let mut seen = HashSet::new();
        category
            .channel_ids
            .retain(|id| member_of.contains(id.as_str()) && seen.insert(id.clone()));
    }
    Ok(())
}

/// `CreateSidebarCategory`: a custom category; publishes `SidebarCategoryCreated`.
pub async fn create(
    app: &App,
    user_id: &str,
    team_id: &str,
    new: &SidebarCategory,
) -> AppResult<SidebarCategory> {
    let category = store::create(&app.store, user_id, team_id, new)
        .await?
        .ok_or(CategoryError::NotFound)?;
    app.publish(Event::SidebarCategoryCreated {
        user_id: user_id.to_string(),
        team_id: team_id.to_string(),
        category_id: category.id.clone(),
    })
    .await;
    Ok(category)
}

/// `UpdateSidebarCategories`; publishes `SidebarCategoriesUpdated` with the categories as
/// they are now.
pub async fn update(
    app: &App,
    user_id: &str,
    team_id: &str,
    categories: &[SidebarCategory],
) -> AppResult<Vec<SidebarCategory>> {
    let written = store::update(&app.store, user_id, categories)
        .await?
        .ok_or(CategoryError::NotFound)?;
    app.publish(Event::SidebarCategoriesUpdated {
        user_id: user_id.to_string(),
        team_id: team_id.to_string(),
        categories: written.updated.clone(),
    })
    .await;
    for (channel_id, muted) in muting_changes(&written.updated, &written.original) {
        let mark_unread = if muted { "mention" } else { "all" };
        let props = [("mark_unread".to_string(), mark_unread.to_string())].into();
        // As in Mattermost, the categories stay updated when a channel's muting fails.
        if let Err(e) =
            crate::channels::update_member_notify_props(app, &channel_id, user_id, &props).await
        {
            tracing::warn!(user_id, channel_id, error = %e,
                "could not mute a channel to match its category");
        }
    }
    Ok(written.updated)
}

/// Mattermost's `muteChannelsForUpdatedCategories`: the channels of a category that was
/// muted or unmuted follow it, and so does a channel moved between a muted and an unmuted
/// category. `(channel, muted)`, each channel once.
fn muting_changes(
    updated: &[SidebarCategory],
    original: &[SidebarCategory],
) -> Vec<(String, bool)> {
    let mut changes: BTreeMap<String, bool> = BTreeMap::new();
    for (now, before) in updated.iter().zip(original) {
        if now.muted != before.muted {
            for channel_id in &now.channel_ids {
                changes.insert(channel_id.clone(), now.muted);
            }
        }
    }
    // A channel moved into another of these categories follows the muting of its new one.
    for before in original {
        for channel_id in &before.channel_ids {
            let moved_to = updated
                .iter()
                .find(|c| c.id != before.id && c.channel_ids.contains(channel_id));
            if let Some(now) = moved_to.filter(|now| now.muted != before.muted) {
                changes.insert(channel_id.clone(), now.muted);
            }
        }
    }
    changes.into_iter().collect()
}

/// `UpdateSidebarCategoryOrder`: `order` must name each of the user's categories in the team
/// once; publishes `SidebarCategoryOrderUpdated`.
pub async fn set_order(
    app: &App,
    user_id: &str,
    team_id: &str,
    order: Vec<String>,
) -> AppResult<Vec<String>> {
    match store::set_order(&app.store, user_id, team_id, &order).await? {
        OrderSet::Mismatch => Err(CategoryError::OrderMismatch.into()),
        OrderSet::Set => {
            app.publish(Event::SidebarCategoryOrderUpdated {
                user_id: user_id.to_string(),
                team_id: team_id.to_string(),
                order: order.clone(),
            })
            .await;
            Ok(order)
        }
    }
}

/// `DeleteSidebarCategory`: only a custom category; its channels fall back to the defaults.
/// Publishes `SidebarCategoryDeleted`.
pub async fn delete(app: &App, user_id: &str, team_id: &str, category_id: &str) -> AppResult<()> {
    match store::delete(&app.store, category_id).await? {
        Deleted::NotFound => Err(CategoryError::NotFound.into()),
        Deleted::NotCustom => Err(CategoryError::DeleteDefault.into()),
        Deleted::Deleted => {
            app.publish(Event::SidebarCategoryDeleted {
                user_id: user_id.to_string(),
                team_id: team_id.to_string(),
                category_id: category_id.to_string(),
            })
            .await;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(id: &str, muted: bool, channels: &[&str]) -> SidebarCategory {
        SidebarCategory {
            id: id.into(),
            muted,
            channel_ids: channels.iter().map(|c| c.to_string()).collect(),
            ..SidebarCategory::default()
        }
    }

    #[test]
    fn channels_follow_their_categorys_muting() {
        // Muting a category mutes its channels; unchanged categories change nothing.
        let before = [
            category("a", false, &["c1", "c2"]),
            category("b", false, &["c3"]),
        ];
        let after = [
            category("a", true, &["c1", "c2"]),
            category("b", false, &["c3"]),
        ];
        assert_eq!(
            muting_changes(&after, &before),
            [("c1".to_string(), true), ("c2".to_string(), true)]
        );
        // A channel moved from a muted category into an unmuted one is unmuted.
        let before = [
            category("a", true, &["c1", "c2"]),
            category("b", false, &[]),
        ];
        let after = [category("a", true, &["c2"]), category("b", false, &["c1"])];
        assert_eq!(muting_changes(&after, &before), [("c1".to_string(), false)]);
        assert!(muting_changes(&before, &before).is_empty());
    }
}
