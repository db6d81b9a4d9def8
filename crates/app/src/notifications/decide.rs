//! One decision per post and recipient: desktop, push, email, each sent or skipped with the
//! reason (Mattermost's `SendNotifications`, `ShouldSendPushNotification`,
//! `doesNotifyPropsAllowPushNotification`, `doesStatusAllowPushNotification`,
//! `userAllowsEmail`, `CRTNotifiers.addFollowerToNotify`). Pure: the caller brings who the
//! post mentions (from `crate::mentions`), the settings and the status.

use std::collections::BTreeMap;
use utmost_model::status::{self as st, Status};

type Props = BTreeMap<String, String>;

/// `model.StatusChannelTimeout`: someone active in the channel this recently is reading it.
pub const STATUS_CHANNEL_TIMEOUT_MS: i64 = 20_000;

/// How the post names the recipient: Mattermost's `MentionType`, in its order (a later kind
/// outranks an earlier one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mention {
    None,
    /// A member of a group message.
    Group,
    /// Classic threads, `comments: any`: someone who posted in the thread.
    Thread,
    /// Classic threads, `comments: root`: the root's author.
    Comment,
    /// By username, mention key, first name, or being added to the channel.
    Keyword,
    /// `@channel`, `@all` or `@here`.
    ChannelWide,
    /// The other member of a direct message.
    Direct,
}

impl Mention {
    /// `mentions.Mentions[id] > GMMention`.
    fn is_explicit(self) -> bool {
        self > Mention::Group
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    Open,
    Private,
    Direct,
    Group,
}

impl ChannelKind {
    pub fn of(channel_type: &str) -> Self {
        match channel_type {
            "D" => Self::Direct,
            "G" => Self::Group,
            "P" => Self::Private,
            _ => Self::Open,
        }
    }
}

/// What the decision reads of the post and its channel.
#[derive(Debug, Clone, Copy)]
pub struct PostFacts<'a> {
    pub sender_id: &'a str,
    pub channel_id: &'a str,
    pub channel: ChannelKind,
    pub is_reply: bool,
    pub is_system: bool,
    /// `from_webhook: "true"`: the poster is notified of their own post too.
    pub from_webhook: bool,
    /// `force_notification` (set by the server only): push whatever the settings say.
    pub force_notification: bool,
    /// `system_auto_responder`: an automatic reply is never emailed.
    pub is_auto_response: bool,
}

/// What the decision reads of one recipient.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub user_id: &'a str,
    /// The user's notify props.
    pub props: &'a Props,
    /// The channel member's notify props.
    pub channel_props: &'a Props,
    pub mention: Mention,
    /// `IsCRTEnabledForUser`.
    pub collapsed_threads: bool,
    /// Follows the post's thread (replies only).
    pub follows_thread: bool,
    pub status: &'a Status,
}

/// The server's switches: `SendPushNotifications`, `SendEmailNotifications`.
#[derive(Debug, Clone, Copy)]
pub struct Switches {
    pub push: bool,
    pub email: bool,
}

/// Why a notification is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The server does not send this kind.
    Disabled,
    OwnPost,
    /// Neither mentioned nor asking for every message.
    NotMentioned,
    /// A reply under collapsed threads to a thread the recipient does not follow.
    NotFollowing,
    SystemMessage,
    /// `mark_unread: mention`.
    ChannelMuted,
    /// The level in force is `none` (or email is `false`).
    LevelNone,
    /// Do not disturb or out of office.
    DoNotDisturb,
    /// Online (email), or reading the channel (push).
    UserActive,
    /// An automatic reply, or a recipient out of office (email).
    AutoResponder,
}

/// A kind of notification: sent, or skipped and why.
pub type Verdict<T = ()> = Result<T, Skip>;

/// How a push describes the post (`sendPushNotification`'s arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushStyle {
    /// Named by keyword, channel-wide, or in a direct message.
    pub explicit: bool,
    pub channel_wide: bool,
    pub reply: ReplyKind,
}

/// `replyToThreadType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    None,
    /// `comments: root`: a reply to the recipient's post.
    Root,
    /// `comments: any`: a reply in a thread the recipient posted in.
    Any,
    /// A reply in a followed thread under collapsed threads.
    CollapsedThread,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The web and desktop clients decide from the `posted` event; this is what they should
    /// conclude, for tests and logs.
    pub desktop: Verdict,
    pub push: Verdict<PushStyle>,
    pub email: Verdict,
}

/// Decides for one recipient. `now` is in milliseconds.
pub fn decide(post: &PostFacts, r: &Recipient, switches: Switches, now: i64) -> Decision {
    if r.user_id == post.sender_id && !post.from_webhook {
        return Decision {
            desktop: Err(Skip::OwnPost),
            push: Err(Skip::OwnPost),
            email: Err(Skip::OwnPost),
        };
    }
    let status = effective_status(r.status, r.props, now);
    let collapsed_reply = post.is_reply && r.collapsed_threads;
    let decision = if collapsed_reply && r.follows_thread {
        followed_thread(post, r, status, now)
    } else if collapsed_reply && r.mention == Mention::None {
        Decision {
            desktop: Err(Skip::NotFollowing),
            push: Err(Skip::NotFollowing),
            email: Err(Skip::NotFollowing),
        }
    } else {
        Decision {
            desktop: desktop(post, r, status),
            push: push(post, r, status, now, collapsed_reply),
            email: email(post, r, status, collapsed_reply, r.mention != Mention::None),
        }
    };
    Decision {
        push: decision
            .push
            .and_then(|s| enabled(switches.push).map(|()| s)),
        email: decision.email.and_then(|()| enabled(switches.email)),
        ..decision
    }
}

fn enabled(on: bool) -> Verdict {
    if on {
        Ok(())
    } else {
        Err(Skip::Disabled)
    }
}

fn prop<'a>(props: &'a Props, key: &str) -> &'a str {
    props.get(key).map_or("", String::as_str)
}

/// A channel level, with a missing one read as `default`.
fn channel_level<'a>(r: &Recipient<'a>, key: &str) -> &'a str {
    match prop(r.channel_props, key) {
        "" => "default",
        level => level,
    }
}

fn is_muted(r: &Recipient) -> bool {
    prop(r.channel_props, "mark_unread") == "mention"
}

/// The status notifications go by: a timed do-not-disturb that has ended is over even
/// before the status sweep writes it, and an active automatic reply is out of office
/// (Mattermost sets that status when the reply is turned on).
fn effective_status<'a>(status: &'a Status, props: &Props, now: i64) -> &'a str {
    if prop(props, "auto_responder_active") == "true" {
        return st::OUT_OF_OFFICE;
    }
    let dnd_over =
        status.status == st::DND && status.dnd_end_time > 0 && status.dnd_end_time * 1000 <= now;
    if !dnd_over {
        return &status.status;
    }
    match status.prev_status.as_str() {
        "" | st::DND => st::ONLINE,
        previous => previous,
    }
}

fn away_from_notifications(status: &str) -> bool {
    status == st::DND || status == st::OUT_OF_OFFICE
}

/// `doesStatusAllowPushNotification`.
fn status_allows_push(
    r: &Recipient,
    status: &str,
    channel_id: &str,
    now: i64,
    collapsed: bool,
) -> Verdict {
    if away_from_notifications(status) {
        return Err(Skip::DoNotDisturb);
    }
    let push_status = r.props.get("push_status").map(String::as_str);
    // Under collapsed threads, reading the channel says nothing about reading the thread.
    let not_reading_channel = r.status.active_channel != channel_id
        || now - r.status.last_activity_at > STATUS_CHANNEL_TIMEOUT_MS
        || collapsed;
    let allowed = match push_status {
        None | Some(st::ONLINE) => not_reading_channel,
        Some(st::AWAY) => status == st::AWAY || status == st::OFFLINE,
        Some(st::OFFLINE) => status == st::OFFLINE,
        Some(_) => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Skip::UserActive)
    }
}

/// Pushes outside collapsed threads: the mentioned, and members asking for every message.
fn push(
    post: &PostFacts,
    r: &Recipient,
    status: &str,
    now: i64,
    collapsed_reply: bool,
) -> Verdict<PushStyle> {
    let every_message = prop(r.props, "push") == "all" || channel_level(r, "push") == "all";
    // Replies under collapsed threads reach followers through their thread settings only.
    let all_activity =
        every_message && post.channel != ChannelKind::Direct && !post.is_system && !collapsed_reply;
    if r.mention == Mention::None && !all_activity {
        return Err(Skip::NotMentioned);
    }
    let style = PushStyle {
        explicit: matches!(
            r.mention,
            Mention::Keyword | Mention::ChannelWide | Mention::Direct
        ),
        channel_wide: r.mention == Mention::ChannelWide,
        reply: match r.mention {
            Mention::Thread => ReplyKind::Any,
            Mention::Comment => ReplyKind::Root,
            _ => ReplyKind::None,
        },
    };
    if post.force_notification {
        return Ok(style);
    }
    let user_level = prop(r.props, "push");
    let level = match channel_level(r, "push") {
        "default" if post.channel == ChannelKind::Group && user_level == "mention" => "all",
        "default" => user_level,
        level => level,
    };
    if is_muted(r) {
        return Err(Skip::ChannelMuted);
    }
    if post.is_system {
        return Err(Skip::SystemMessage);
    }
    if level == "none" {
        return Err(Skip::LevelNone);
    }
    if level == "mention" && !r.mention.is_explicit() {
        return Err(Skip::NotMentioned);
    }
    status_allows_push(r, status, post.channel_id, now, false)?;
    Ok(style)
}

/// `userAllowsEmail`, for the mentioned (and followers whose thread settings ask for email).
fn email(
    post: &PostFacts,
    r: &Recipient,
    status: &str,
    collapsed_reply: bool,
    candidate: bool,
) -> Verdict {
    if !candidate {
        return Err(Skip::NotMentioned);
    }
    let mut allowed = prop(r.props, "email") != "false";
    // Under collapsed threads a reply goes by the user's setting, not the channel's.
    match channel_level(r, "email") {
        "default" => {}
        _ if collapsed_reply => {}
        level => allowed = level != "false",
    }
    if is_muted(r) {
        return Err(Skip::ChannelMuted);
    }
    if !allowed {
        return Err(Skip::LevelNone);
    }
    if status == st::OUT_OF_OFFICE || post.is_auto_response {
        return Err(Skip::AutoResponder);
    }
    if status == st::ONLINE || status == st::DND {
        return Err(Skip::UserActive);
    }
    Ok(())
}

/// What the web client concludes from `posted` (desktop notifications): the channel's level,
/// else the user's; a group message at `mention` notifies; muted channels, do not disturb and
/// out of office stay silent.
fn desktop(post: &PostFacts, r: &Recipient, status: &str) -> Verdict {
    let level = match channel_level(r, "desktop") {
        "default" => match prop(r.props, "desktop") {
            "" => "mention",
            level => level,
        },
        level => level,
    };
    if is_muted(r) && !r.mention.is_explicit() {
        return Err(Skip::ChannelMuted);
    }
    if post.is_system {
        return Err(Skip::SystemMessage);
    }
    if level == "none" {
        return Err(Skip::LevelNone);
    }
    if level == "mention" && r.mention == Mention::None {
        return Err(Skip::NotMentioned);
    }
    if away_from_notifications(status) {
        return Err(Skip::DoNotDisturb);
    }
    Ok(())
}

/// A reply in a thread the recipient follows under collapsed threads
/// (`shouldUserNotifyCRT`, `shouldChannelMemberNotifyCRT`): the `*_threads` settings decide,
/// a channel level other than `default` wins over the user's, and only the status can stop a
/// push.
fn followed_thread(post: &PostFacts, r: &Recipient, status: &str, now: i64) -> Decision {
    let mentioned = r.mention != Mention::None;
    let user = |key: &str| prop(r.props, key);
    let channel = |key: &str| channel_level(r, key);
    let user_wants = |level: &str, threads: &str| {
        level != "none" && (mentioned || threads == "all" || level == "all")
    };
    let channel_wants = |level: &str, threads_all: bool| {
        level != "default" && level != "none" && (mentioned || threads_all || level == "all")
    };
    let desktop_threads_all =
        channel("desktop_threads") == "all" && user("desktop_threads") != "mention";
    let desktop = (channel("desktop") == "default"
        && user_wants(user("desktop"), user("desktop_threads")))
        || channel_wants(channel("desktop"), desktop_threads_all);
    let push = (channel("push") == "default" && user_wants(user("push"), user("push_threads")))
        || channel_wants(channel("push"), channel("push_threads") == "all");
    let email = user("email") == "true" && (mentioned || user("email_threads") == "all");
    let style = PushStyle {
        explicit: false,
        channel_wide: false,
        reply: ReplyKind::CollapsedThread,
    };
    Decision {
        desktop: if desktop {
            Ok(())
        } else {
            Err(Skip::NotMentioned)
        },
        push: if push {
            status_allows_push(r, status, post.channel_id, now, true).map(|()| style)
        } else {
            Err(Skip::NotMentioned)
        },
        email: if email {
            self::email(post, r, status, true, true)
        } else {
            Err(Skip::NotMentioned)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;
    const ON: Switches = Switches {
        push: true,
        email: true,
    };

    fn props(pairs: &[(&str, &str)]) -> Props {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Mattermost's defaults for a new user (`SetDefaultNotifications`).
    fn user_defaults() -> Props {
        props(&[
            ("email", "true"),
            ("push", "mention"),
            ("desktop", "mention"),
            ("channel", "true"),
            ("push_status", "online"),
            ("comments", "never"),
            ("desktop_threads", "all"),
            ("email_threads", "all"),
            ("push_threads", "all"),
        ])
    }

    /// A channel member's defaults.
    fn member_defaults() -> Props {
        props(&[
            ("desktop", "default"),
            ("push", "default"),
            ("email", "default"),
            ("mark_unread", "all"),
            ("ignore_channel_mentions", "default"),
        ])
    }

    fn status(s: &str) -> Status {
        Status {
            user_id: "r".into(),
            status: s.into(),
            last_activity_at: NOW - 60_000,
            ..Status::default()
        }
    }

    /// One row of the table: a change to the defaults and what it should decide.
    struct Case {
        rule: &'static str,
        channel: ChannelKind,
        reply: bool,
        system: bool,
        webhook: bool,
        force: bool,
        auto_response: bool,
        sender: &'static str,
        user: &'static [(&'static str, &'static str)],
        member: &'static [(&'static str, &'static str)],
        mention: Mention,
        collapsed: bool,
        follows: bool,
        status: Status,
        switches: Switches,
        desktop: Verdict,
        push: Verdict,
        email: Verdict,
    }

    fn case(rule: &'static str) -> Case {
        Case {
            rule,
            channel: ChannelKind::Open,
            reply: false,
            system: false,
            webhook: false,
            force: false,
            auto_response: false,
            sender: "s",
            user: &[],
            member: &[],
            mention: Mention::Keyword,
            collapsed: false,
            follows: false,
            status: status(st::OFFLINE),
            switches: ON,
            desktop: Ok(()),
            push: Ok(()),
            email: Ok(()),
        }
    }

    fn check(c: &Case) {
        let mut user = user_defaults();
        user.extend(props(c.user));
        let mut member = member_defaults();
        member.extend(props(c.member));
        let post = PostFacts {
            sender_id: c.sender,
            channel_id: "c",
            channel: c.channel,
            is_reply: c.reply,
            is_system: c.system,
            from_webhook: c.webhook,
            force_notification: c.force,
            is_auto_response: c.auto_response,
        };
        let r = Recipient {
            user_id: "r",
            props: &user,
            channel_props: &member,
            mention: c.mention,
            collapsed_threads: c.collapsed,
            follows_thread: c.follows,
            status: &c.status,
        };
        let d = decide(&post, &r, c.switches, NOW);
        assert_eq!(d.desktop, c.desktop, "desktop: {}", c.rule);
        assert_eq!(d.push.map(|_| ()), c.push, "push: {}", c.rule);
        assert_eq!(d.email, c.email, "email: {}", c.rule);
    }

    #[test]
    fn the_decision_table() {
        use Skip::*;
        let online = status(st::ONLINE);
        let cases = [
            Case {
                ..case("a mention of an offline user with the defaults notifies everywhere")
            },
            Case {
                mention: Mention::None,
                desktop: Err(NotMentioned),
                push: Err(NotMentioned),
                email: Err(NotMentioned),
                ..case("a post that does not mention the user notifies nobody at the default levels")
            },
            Case {
                sender: "r",
                desktop: Err(OwnPost),
                push: Err(OwnPost),
                email: Err(OwnPost),
                ..case("nobody is notified of their own post")
            },
            Case {
                sender: "r",
                webhook: true,
                ..case("a webhook's post notifies the user who owns the webhook too")
            },
            Case {
                switches: Switches { push: false, email: false },
                push: Err(Disabled),
                email: Err(Disabled),
                ..case("SendPushNotifications and SendEmailNotifications off send neither")
            },
            Case {
                member: &[("mark_unread", "mention")],
                mention: Mention::None,
                user: &[("push", "all"), ("desktop", "all")],
                desktop: Err(ChannelMuted),
                push: Err(ChannelMuted),
                email: Err(NotMentioned),
                ..case("a muted channel sends no push even to a user asking for every message")
            },
            Case {
                member: &[("mark_unread", "mention")],
                push: Err(ChannelMuted),
                email: Err(ChannelMuted),
                ..case("a muted channel sends no push or email even for a mention; desktop still shows a mention")
            },
            Case {
                status: status(st::DND),
                desktop: Err(DoNotDisturb),
                push: Err(DoNotDisturb),
                email: Err(UserActive),
                ..case("do not disturb: no desktop, push or email")
            },
            Case {
                status: Status { dnd_end_time: (NOW - 1000) / 1000, prev_status: st::AWAY.into(), ..status(st::DND) },
                email: Ok(()),
                ..case("a timed do-not-disturb that has ended is over, back to the status before it")
            },
            Case {
                status: Status { dnd_end_time: (NOW + 60_000) / 1000, ..status(st::DND) },
                desktop: Err(DoNotDisturb),
                push: Err(DoNotDisturb),
                email: Err(UserActive),
                ..case("a timed do-not-disturb still running silences")
            },
            Case {
                user: &[("auto_responder_active", "true")],
                desktop: Err(DoNotDisturb),
                push: Err(DoNotDisturb),
                email: Err(AutoResponder),
                ..case("an active automatic reply is out of office: nothing is sent")
            },
            Case {
                auto_response: true,
                system: true,
                reply: true,
                desktop: Err(SystemMessage),
                push: Err(SystemMessage),
                email: Err(AutoResponder),
                ..case("an automatic reply is a system message and never emailed")
            },
            Case {
                status: online.clone(),
                email: Err(UserActive),
                ..case("an online user gets no email; push_status online pushes unless reading the channel")
            },
            Case {
                status: Status { active_channel: "c".into(), last_activity_at: NOW - 5_000, ..status(st::ONLINE) },
                push: Err(UserActive),
                email: Err(UserActive),
                ..case("push_status online: no push while active in the channel within 20 s")
            },
            Case {
                status: Status { active_channel: "c".into(), last_activity_at: NOW - 25_000, ..status(st::ONLINE) },
                email: Err(UserActive),
                ..case("push_status online: a push once the channel was left idle over 20 s")
            },
            Case {
                user: &[("push_status", "away")],
                status: online.clone(),
                push: Err(UserActive),
                email: Err(UserActive),
                ..case("push_status away: no push while online")
            },
            Case {
                user: &[("push_status", "away")],
                status: status(st::AWAY),
                ..case("push_status away: a push when away")
            },
            Case {
                user: &[("push_status", "offline")],
                status: status(st::AWAY),
                push: Err(UserActive),
                ..case("push_status offline: no push while away")
            },
            Case {
                user: &[("push", "none"), ("desktop", "none"), ("email", "false")],
                desktop: Err(LevelNone),
                push: Err(LevelNone),
                email: Err(LevelNone),
                ..case("user levels none / email false")
            },
            Case {
                user: &[("push", "none"), ("email", "false")],
                member: &[("push", "mention"), ("email", "true")],
                ..case("a channel level other than default overrides the user's")
            },
            Case {
                member: &[("push", "none"), ("desktop", "none"), ("email", "false")],
                desktop: Err(LevelNone),
                push: Err(LevelNone),
                email: Err(LevelNone),
                ..case("channel levels none / email false")
            },
            Case {
                mention: Mention::None,
                user: &[("push", "all"), ("desktop", "all")],
                email: Err(NotMentioned),
                ..case("push all: every message pushes; email only for mentions")
            },
            Case {
                mention: Mention::None,
                member: &[("push", "all")],
                desktop: Err(NotMentioned),
                email: Err(NotMentioned),
                ..case("channel push all: every message of the channel pushes")
            },
            Case {
                mention: Mention::None,
                system: true,
                user: &[("push", "all"), ("desktop", "all")],
                desktop: Err(SystemMessage),
                push: Err(NotMentioned),
                email: Err(NotMentioned),
                ..case("system messages never push")
            },
            Case {
                mention: Mention::ChannelWide,
                ..case("@channel, @all and @here count as mentions (parsing already left out ignore_channel_mentions and big channels)")
            },
            Case {
                channel: ChannelKind::Direct,
                mention: Mention::Direct,
                ..case("a direct message is a mention")
            },
            Case {
                channel: ChannelKind::Group,
                mention: Mention::Group,
                ..case("a group message notifies at the mention level (push mention becomes all in a GM)")
            },
            Case {
                channel: ChannelKind::Group,
                mention: Mention::Group,
                member: &[("push", "mention")],
                push: Err(NotMentioned),
                ..case("a GM with the channel's push at mention needs a real mention")
            },
            Case {
                mention: Mention::Comment,
                reply: true,
                ..case("classic threads, comments root: a reply to one's post notifies")
            },
            Case {
                mention: Mention::Thread,
                reply: true,
                ..case("classic threads, comments any: a reply in a thread one posted in notifies")
            },
            Case {
                force: true,
                user: &[("push", "none")],
                member: &[("mark_unread", "mention")],
                status: status(st::DND),
                desktop: Err(DoNotDisturb),
                email: Err(ChannelMuted),
                ..case("force_notification (set on the persistent notifications of urgent posts) pushes whatever the settings; urgency alone changes no decision")
            },
            Case {
                reply: true,
                collapsed: true,
                mention: Mention::None,
                desktop: Err(NotFollowing),
                push: Err(NotFollowing),
                email: Err(NotFollowing),
                ..case("collapsed threads: a reply to a thread one does not follow notifies nobody")
            },
            Case {
                reply: true,
                collapsed: true,
                follows: true,
                mention: Mention::None,
                ..case("collapsed threads: *_threads all notify followers of every reply")
            },
            Case {
                reply: true,
                collapsed: true,
                follows: true,
                mention: Mention::None,
                user: &[("desktop_threads", "mention"), ("push_threads", "mention"), ("email_threads", "mention")],
                desktop: Err(NotMentioned),
                push: Err(NotMentioned),
                email: Err(NotMentioned),
                ..case("collapsed threads: *_threads mention notify followers only when mentioned")
            },
            Case {
                reply: true,
                collapsed: true,
                follows: true,
                user: &[("desktop_threads", "mention"), ("push_threads", "mention"), ("email_threads", "mention")],
                ..case("collapsed threads: a mention in a followed thread notifies")
            },
            Case {
                reply: true,
                collapsed: true,
                follows: true,
                mention: Mention::None,
                user: &[("push_threads", "mention")],
                member: &[("push", "all")],
                ..case("collapsed threads: a channel push level all wins over push_threads")
            },
            Case {
                reply: true,
                collapsed: true,
                follows: true,
                mention: Mention::None,
                member: &[("email", "false")],
                ..case("collapsed threads: the channel's email level is not read for replies")
            },
            Case {
                reply: true,
                collapsed: true,
                follows: true,
                mention: Mention::None,
                status: Status { active_channel: "c".into(), last_activity_at: NOW, ..status(st::ONLINE) },
                email: Err(UserActive),
                ..case("collapsed threads: reading the channel is not reading the thread, so it pushes")
            },
            Case {
                reply: true,
                collapsed: true,
                follows: true,
                status: status(st::DND),
                desktop: Ok(()),
                push: Err(DoNotDisturb),
                email: Err(UserActive),
                ..case("collapsed threads: do not disturb stops the push")
            },
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn push_styles_follow_the_mention_kind() {
        let user = user_defaults();
        let member = member_defaults();
        let offline = status(st::OFFLINE);
        let style = |mention, reply| {
            let post = PostFacts {
                sender_id: "s",
                channel_id: "c",
                channel: ChannelKind::Open,
                is_reply: reply,
                is_system: false,
                from_webhook: false,
                force_notification: false,
                is_auto_response: false,
            };
            let r = Recipient {
                user_id: "r",
                props: &user,
                channel_props: &member,
                mention,
                collapsed_threads: false,
                follows_thread: false,
                status: &offline,
            };
            decide(&post, &r, ON, NOW).push.unwrap()
        };
        let s = style(Mention::ChannelWide, false);
        assert!(s.explicit && s.channel_wide && s.reply == ReplyKind::None);
        let s = style(Mention::Comment, true);
        assert!(!s.explicit && s.reply == ReplyKind::Root);
        let s = style(Mention::Thread, true);
        assert!(!s.explicit && s.reply == ReplyKind::Any);
        assert!(style(Mention::Keyword, false).explicit);
    }
}
