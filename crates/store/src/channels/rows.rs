//! Row types and the shared SELECT lists of channels and channel members.

use crate::db::query_rows;
pub(crate) use crate::db::{placeholders, Bind};
use crate::types::{ChannelType, Json};
use crate::{Result, Store};
use std::collections::BTreeMap;
use utmost_model::channel::{Channel, ChannelMember, ChannelMemberWithTeamData};
use utmost_model::roles::split_explicit_channel_roles;

/// The SELECT list and FROM clause of every channel query (alias `c`).
pub(crate) const SELECT_CHANNELS: &str = "SELECT c.id, c.createat, c.updateat, c.deleteat, \
    c.teamid, c.type, c.displayname, c.name, c.header, c.purpose, c.lastpostat, \
    c.totalmsgcount, c.extraupdateat, c.creatorid, c.schemeid, c.groupconstrained, c.shared, \
    c.totalmsgcountroot, c.lastrootpostat FROM channels c";

#[derive(sqlx::FromRow)]
pub(crate) struct ChannelRow {
    id: String,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    teamid: Option<String>,
    #[sqlx(rename = "type")]
    channel_type: Option<ChannelType>,
    displayname: Option<String>,
    name: Option<String>,
    header: Option<String>,
    purpose: Option<String>,
    lastpostat: Option<i64>,
    totalmsgcount: Option<i64>,
    extraupdateat: Option<i64>,
    creatorid: Option<String>,
    schemeid: Option<String>,
    groupconstrained: Option<bool>,
    shared: Option<bool>,
    totalmsgcountroot: Option<i64>,
    lastrootpostat: Option<i64>,
}

impl From<ChannelRow> for Channel {
    fn from(r: ChannelRow) -> Self {
        Channel {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            team_id: r.teamid.unwrap_or_default(),
            channel_type: r.channel_type.map(|t| t.0).unwrap_or_default(),
            display_name: r.displayname.unwrap_or_default(),
            name: r.name.unwrap_or_default(),
            header: r.header.unwrap_or_default(),
            purpose: r.purpose.unwrap_or_default(),
            last_post_at: r.lastpostat.unwrap_or(0),
            total_msg_count: r.totalmsgcount.unwrap_or(0),
            extra_update_at: r.extraupdateat.unwrap_or(0),
            creator_id: r.creatorid.unwrap_or_default(),
            scheme_id: r.schemeid.filter(|s| !s.is_empty()),
            props: None,
            group_constrained: r.groupconstrained,
            shared: r.shared,
            total_msg_count_root: r.totalmsgcountroot.unwrap_or(0),
            policy_id: None,
            last_root_post_at: r.lastrootpostat.unwrap_or(0),
        }
    }
}

pub(crate) async fn query_channels(
    store: &Store,
    sql: &str,
    binds: &[Bind<'_>],
) -> Result<Vec<Channel>> {
    query_rows::<ChannelRow, _>(store, sql, binds).await
}

/// The columns of a member row (alias `cm`). A macro, not a `const`, because the SELECT
/// constants below are built with `concat!`, which takes only literals.
macro_rules! member_columns {
    () => {
        "cm.channelid, cm.userid, cm.roles, cm.lastviewedat, cm.msgcount, cm.mentioncount, \
         cm.mentioncountroot, cm.urgentmentioncount, cm.msgcountroot, cm.notifyprops, \
         cm.lastupdateat, cm.schemeguest, cm.schemeuser, cm.schemeadmin"
    };
}

/// The SELECT list and FROM clause of every member query (alias `cm`).
pub(crate) const SELECT_MEMBERS: &str =
    concat!("SELECT ", member_columns!(), " FROM channelmembers cm");

/// Members with the name of their channel's team (empty for DMs and GMs).
pub(crate) const SELECT_MEMBERS_WITH_TEAM: &str = concat!(
    "SELECT ",
    member_columns!(),
    ", COALESCE(t.displayname, '') AS teamdisplayname, COALESCE(t.name, '') AS teamname, \
     COALESCE(t.updateat, 0) AS teamupdateat FROM channelmembers cm \
     JOIN channels c ON c.id = cm.channelid LEFT JOIN teams t ON t.id = c.teamid"
);

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    channelid: String,
    userid: String,
    roles: Option<String>,
    lastviewedat: Option<i64>,
    msgcount: Option<i64>,
    mentioncount: Option<i64>,
    mentioncountroot: Option<i64>,
    urgentmentioncount: Option<i64>,
    msgcountroot: Option<i64>,
    notifyprops: Option<Json<BTreeMap<String, String>>>,
    lastupdateat: Option<i64>,
    schemeguest: Option<bool>,
    schemeuser: Option<bool>,
    schemeadmin: Option<bool>,
}

impl From<MemberRow> for ChannelMember {
    /// Legacy rows may still name `channel_user`/`channel_admin` in `roles`; those count as
    /// the scheme flags, as Mattermost reads them.
    fn from(r: MemberRow) -> Self {
        let (explicit, guest, user, admin) =
            split_explicit_channel_roles(r.roles.as_deref().unwrap_or(""));
        let scheme_guest = guest || r.schemeguest.unwrap_or(false);
        let scheme_user = user || r.schemeuser.unwrap_or(false);
        let scheme_admin = admin || r.schemeadmin.unwrap_or(false);
        ChannelMember {
            roles: utmost_model::roles::effective_channel_roles(
                &explicit,
                scheme_guest,
                scheme_user,
                scheme_admin,
            ),
            explicit_roles: explicit,
            channel_id: r.channelid,
            user_id: r.userid,
            last_viewed_at: r.lastviewedat.unwrap_or(0),
            msg_count: r.msgcount.unwrap_or(0),
            mention_count: r.mentioncount.unwrap_or(0),
            mention_count_root: r.mentioncountroot.unwrap_or(0),
            urgent_mention_count: r.urgentmentioncount.unwrap_or(0),
            msg_count_root: r.msgcountroot.unwrap_or(0),
            notify_props: r.notifyprops.map(|j| j.0).unwrap_or_default(),
            last_update_at: r.lastupdateat.unwrap_or(0),
            scheme_guest,
            scheme_user,
            scheme_admin,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MemberWithTeamRow {
    #[sqlx(flatten)]
    member: MemberRow,
    teamdisplayname: String,
    teamname: String,
    teamupdateat: i64,
}

impl From<MemberWithTeamRow> for ChannelMemberWithTeamData {
    fn from(r: MemberWithTeamRow) -> Self {
        ChannelMemberWithTeamData {
            member: r.member.into(),
            team_display_name: r.teamdisplayname,
            team_name: r.teamname,
            team_update_at: r.teamupdateat,
        }
    }
}

pub(crate) async fn query_members(
    store: &Store,
    sql: &str,
    binds: &[Bind<'_>],
) -> Result<Vec<ChannelMember>> {
    query_rows::<MemberRow, _>(store, sql, binds).await
}
