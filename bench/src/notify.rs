//! The notifications benchmark: the server CPU a post into a 10,000-member channel costs
//! when it mentions 100 of them, with notifications off (the post alone) and with pushes and
//! emails on (the post, then one decision per member and the pushes queued), in the same run.
//!
//! In-process, no HTTP: an `App` on a fresh SQLite database, the users and memberships
//! written as bulk rows, posts created through `posts::create_as_user` one at a time. CPU is
//! this process's user + system time (`/proc/self/stat`), so it counts every thread of the
//! app, the `push` service's work on the queued jobs included (no member has a device, so it
//! stops at the device lookup: sending is not part of deciding and queueing).

use crate::bulk::{self, Db};
use crate::corpus::lit;
use crate::load_average;
use crate::server::Target;
use anyhow::Context;
use clap::Args;
use std::sync::Arc;
use std::time::{Duration, Instant};
use utmost_app::App;
use utmost_model::post::Post;
use utmost_model::session::Session;

#[derive(Args)]
pub struct NotifyArgs {
    /// Members of the channel.
    #[arg(long, default_value_t = 10_000)]
    members: usize,
    /// Members each post mentions.
    #[arg(long, default_value_t = 100)]
    mentions: usize,
    /// Timed posts per mode (after one warm-up post).
    #[arg(long, default_value_t = 200)]
    posts: usize,
}

/// CPU time (user + system) of this process so far (`/proc/self/stat`, 100 ticks a second).
fn process_cpu() -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("reading /proc/self/stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the line; the rest starts at field 3.
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    Ok(Duration::from_millis(ticks * 10))
}

struct Mode {
    label: &'static str,
    cpu_per_post: Duration,
    wall_per_post: Duration,
}

pub async fn run(args: &NotifyArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let target = Target::sqlite().await?;
    let result = measure(args, &target).await;
    target.remove().await;
    let modes = result?;
    println!(
        "One channel of {} members; each post mentions {} of them; {} posts per mode, one at a \
         time, in-process on SQLite; 1-minute load average {load_before} before.\n",
        args.members, args.mentions, args.posts
    );
    println!("| mode | server CPU per post | wall time per post |");
    println!("|---|---:|---:|");
    for m in &modes {
        println!(
            "| {} | {:.2} ms | {:.2} ms |",
            m.label,
            m.cpu_per_post.as_secs_f64() * 1000.0,
            m.wall_per_post.as_secs_f64() * 1000.0
        );
    }
    if let [off, on] = &modes[..] {
        let added = on.cpu_per_post.saturating_sub(off.cpu_per_post);
        println!(
            "\nDeciding and queueing the notifications: {:.2} ms of CPU per post (budget 5 ms).",
            added.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

async fn measure(args: &NotifyArgs, target: &Target) -> anyhow::Result<Vec<Mode>> {
    let mut config = utmost_config::Config::default();
    config.sql_settings.driver_name = "sqlite".into();
    config.sql_settings.data_source = target.database.clone();
    config.file_settings.directory = target.dir.join("data").to_string_lossy().into_owned();
    config.team_settings.max_notifications_per_channel = i64::MAX;
    // The search indexer's work after each post is the same in both series: leave it out.
    config.bleve_settings.enable_indexing = false;
    let app = App::start(config)
        .await
        .map_err(|e| anyhow::anyhow!("starting the app: {e:?}"))?;
    let (poster, channel_id, usernames) = seed(args, target).await?;
    let session = Session {
        user_id: poster,
        roles: "system_user".into(),
        ..Session::default()
    };
    let mut modes = Vec::new();
    for (label, on) in [
        ("post only (notifications off)", false),
        ("post + notifications", true),
    ] {
        let mut config = (*app.config()).clone();
        config.email_settings.send_push_notifications = on;
        config.email_settings.send_email_notifications = on;
        config.email_settings.push_notification_server = "http://127.0.0.1:9".into();
        app.set_config(config);
        post(&app, &session, &channel_id, &usernames, args, 0).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (cpu, started) = (process_cpu()?, Instant::now());
        for i in 1..=args.posts {
            post(&app, &session, &channel_id, &usernames, args, i).await?;
        }
        // Let the push service finish the queued jobs inside the measured time.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let wall = started.elapsed().saturating_sub(Duration::from_millis(500));
        let cpu = process_cpu()?.saturating_sub(cpu);
        let n = u32::try_from(args.posts).unwrap_or(u32::MAX);
        modes.push(Mode {
            label,
            cpu_per_post: cpu / n,
            wall_per_post: wall / n,
        });
    }
    app.shutdown().await;
    Ok(modes)
}

/// A post mentioning `args.mentions` members, a different set each time.
async fn post(
    app: &Arc<App>,
    session: &Session,
    channel_id: &str,
    usernames: &[String],
    args: &NotifyArgs,
    round: usize,
) -> anyhow::Result<()> {
    let first = (round * args.mentions) % usernames.len();
    let named: Vec<String> = (0..args.mentions)
        .map(|k| format!("@{}", usernames[(first + k) % usernames.len()]))
        .collect();
    let post = Post {
        channel_id: channel_id.to_string(),
        message: format!("Release notes are out, please read: {}", named.join(" ")),
        ..Post::default()
    };
    utmost_app::posts::create_as_user(app, session, post)
        .await
        .map_err(|e| anyhow::anyhow!("creating a post: {e:?}"))?;
    Ok(())
}

/// The poster, the channel and the members' usernames (the poster not among them), written
/// as bulk rows.
async fn seed(args: &NotifyArgs, target: &Target) -> anyhow::Result<(String, String, Vec<String>)> {
    let db = Db::connect(target).await?;
    let at = utmost_model::now_millis();
    let team_id = utmost_model::new_id();
    let users: Vec<bulk::User> = (0..=args.members)
        .map(|i| bulk::User {
            id: utmost_model::new_id(),
            username: format!("member{i:05}"),
            first_name: String::new(),
            last_name: String::new(),
            nickname: String::new(),
        })
        .collect();
    bulk::insert_users(&db, &team_id, &users, at).await?;
    let channel = bulk::Channel {
        id: utmost_model::new_id(),
        name: "everyone".into(),
        display_name: "Everyone".into(),
        purpose: String::new(),
    };
    bulk::insert_channels(
        &db,
        &team_id,
        &users[0].id,
        std::slice::from_ref(&channel),
        at,
    )
    .await?;
    let notify = utmost_model::channel::ChannelMember::default_notify_props();
    let notify = lit(&serde_json::to_string(&notify)?);
    let rows = users.iter().map(|u| {
        format!(
            "({}, {}, '', {at}, 0, 0, {notify}, {at}, TRUE, FALSE, FALSE, 0, 0, 0)",
            lit(&channel.id),
            lit(&u.id)
        )
    });
    db.insert(
        "channelmembers",
        "channelid, userid, roles, lastviewedat, msgcount, mentioncount, notifyprops, \
         lastupdateat, schemeuser, schemeadmin, schemeguest, mentioncountroot, msgcountroot, \
         urgentmentioncount",
        rows,
    )
    .await?;
    db.close().await;
    let poster = users[0].id.clone();
    let usernames = users[1..].iter().map(|u| u.username.clone()).collect();
    Ok((poster, channel.id, usernames))
}
