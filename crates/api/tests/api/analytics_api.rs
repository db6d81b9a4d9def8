//! The System Console's statistics: `GET /analytics/old` for every name Mattermost serves,
//! the daily aggregates behind them (the `analytics` service's pass, run here by hand), and
//! the user report (`/reports/users`, `/reports/users/count`).

use serde_json::{json, Value};
use utmost_model::post::Post;
use utmost_model::status::Status;
use utmost_model::user::User;
use utmost_store::analytics::{day_of, live_post_count, PostKind, DAY};
use utmost_store::posts::NewPostEffects;
use utmost_testkit::{dual_db_test, Basic, Client, TestServer};

const PERMISSIONS: &str = "api.context.permissions.app_error";
const INVALID_PARAM: &str = "api.context.invalid_body_param.app_error";

const STANDARD: [&str; 11] = [
    "channel_open_count",
    "channel_private_count",
    "post_count",
    "unique_user_count",
    "team_count",
    "total_websocket_connections",
    "total_master_db_connections",
    "total_read_db_connections",
    "daily_active_users",
    "monthly_active_users",
    "inactive_user_count",
];

const EXTRA: [&str; 6] = [
    "file_post_count",
    "hashtag_post_count",
    "incoming_webhook_count",
    "outgoing_webhook_count",
    "command_count",
    "session_count",
];

/// The rows of `name` as (name, value) pairs.
async fn rows(client: &Client, query: &str) -> Vec<(String, i64)> {
    let body = client
        .get(&format!("/analytics/old{query}"))
        .await
        .expect(200)
        .body;
    body.as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().expect("a name").to_string(),
                r["value"].as_i64().expect("an integer value"),
            )
        })
        .collect()
}

fn value(rows: &[(String, i64)], name: &str) -> i64 {
    rows.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no row {name} in {rows:?}"))
        .1
}

fn date(day: i64) -> String {
    utmost_app::analytics::date_name(day)
}

/// A post written straight to the store at `create_at` (the API stamps the current time).
async fn post_at(
    server: &TestServer,
    channel: &Value,
    user_id: &str,
    create_at: i64,
    msg: &str,
) -> String {
    let mut post = Post {
        id: utmost_model::new_id(),
        create_at,
        update_at: create_at,
        user_id: user_id.to_string(),
        channel_id: channel["id"].as_str().unwrap().to_string(),
        message: msg.to_string(),
        ..Post::default()
    };
    if msg.contains('#') {
        post.hashtags = msg
            .split_whitespace()
            .filter(|w| w.starts_with('#'))
            .collect::<Vec<_>>()
            .join(" ");
    }
    if msg.contains("file") {
        post.file_ids = vec![utmost_model::new_id()];
    }
    let effects = NewPostEffects {
        team_id: channel["team_id"].as_str().unwrap_or("").to_string(),
        ..NewPostEffects::default()
    };
    utmost_store::posts::create_many(&server.app.store, &[(post.clone(), effects)])
        .await
        .unwrap();
    post.id
}

async fn run_pass(server: &TestServer) -> utmost_app::analytics::Pass {
    utmost_app::analytics::run_once(&server.app, utmost_model::now_millis())
        .await
        .unwrap()
}

/// Back-dated posts: three two days ago in the team (two by the basic user, one with a
/// hashtag), one five days ago in the direct message (with a file).
async fn back_dated(server: &TestServer, b: &Basic) -> (i64, i64, Vec<String>) {
    let today = day_of(utmost_model::now_millis());
    let two = today - 2 * DAY;
    let five = today - 5 * DAY;
    let ids = vec![
        post_at(server, &b.channel, b.user_id(), two + 1_000, "one").await,
        post_at(server, &b.channel, b.user_id(), two + 2_000, "two #tagged").await,
        post_at(
            server,
            &b.private_channel,
            b.user2_id(),
            two + 3_000,
            "three",
        )
        .await,
        post_at(server, &b.dm, b.user2_id(), five + 4_000, "a file").await,
    ];
    (two, five, ids)
}

dual_db_test!(
    async fn standard_rows_follow_the_data(server) {
        let b = server.init_basic().await;
        let before = rows(&b.admin, "").await;
        let names: Vec<&str> = before.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, STANDARD, "standard is the default name, in Mattermost's order");
        assert_eq!(rows(&b.admin, "?name=standard").await.len(), 11);
        assert_eq!(value(&before, "post_count"), live_total(&server).await);
        assert!(value(&before, "total_master_db_connections") >= 1);
        assert_eq!(value(&before, "inactive_user_count"), 0);

        // New channels, posts, users and teams each move their row.
        b.client
            .post(
                "/channels",
                json!({"team_id": b.team_id(), "name": "more-open", "display_name": "More", "type": "O"}),
            )
            .await
            .expect(201);
        b.client
            .post(
                "/channels",
                json!({"team_id": b.team_id(), "name": "more-private", "display_name": "More", "type": "P"}),
            )
            .await
            .expect(201);
        for message in ["a", "b"] {
            b.client
                .post("/posts", json!({"channel_id": b.channel["id"], "message": message}))
                .await
                .expect(201);
        }
        let (extra_user, _) = server.create_user(Some(&b.admin), "counted").await;
        let after = rows(&b.admin, "").await;
        assert_eq!(value(&after, "channel_open_count"), value(&before, "channel_open_count") + 1);
        assert_eq!(value(&after, "channel_private_count"), value(&before, "channel_private_count") + 1);
        // The two posts, and the system messages the changes wrote.
        assert!(value(&after, "post_count") >= value(&before, "post_count") + 2);
        assert_eq!(value(&after, "post_count"), live_total(&server).await);
        assert_eq!(value(&after, "unique_user_count"), value(&before, "unique_user_count") + 1);
        b.admin
            .post("/teams", json!({"name": "second", "display_name": "Second", "type": "O"}))
            .await
            .expect(201);
        let teams = rows(&b.admin, "").await;
        assert_eq!(value(&teams, "team_count"), value(&before, "team_count") + 1);

        // A deactivated account moves from the active count to the inactive one.
        b.admin
            .delete(&format!("/users/{}", extra_user["id"].as_str().unwrap()))
            .await
            .expect(200);
        let deactivated = rows(&b.admin, "").await;
        assert_eq!(value(&deactivated, "unique_user_count"), value(&after, "unique_user_count") - 1);
        assert_eq!(value(&deactivated, "inactive_user_count"), 1);

        // Daily and monthly active users read the status table's last activity.
        let now = utmost_model::now_millis();
        for (user, at) in [(b.user_id(), now - 1_000), (b.user2_id(), now - 3 * DAY)] {
            let status = Status {
                user_id: user.to_string(),
                status: "offline".into(),
                last_activity_at: at,
                ..Status::default()
            };
            utmost_store::status::upsert(&server.app.store, &status).await.unwrap();
        }
        let active = rows(&b.admin, "").await;
        let daily = value(&active, "daily_active_users");
        let monthly = value(&active, "monthly_active_users");
        assert!(daily >= 1, "{active:?}");
        assert_eq!(monthly, daily + 1, "the user active three days ago is monthly only");
    }
);

async fn active_members(b: &Basic, team_id: &str) -> i64 {
    let stats = b
        .admin
        .get(&format!("/teams/{team_id}/stats"))
        .await
        .expect(200)
        .body;
    stats["active_member_count"].as_i64().unwrap()
}

async fn live_total(server: &TestServer) -> i64 {
    live_post_count(&server.app.store, None, PostKind::All, 0, None)
        .await
        .unwrap()
}

dual_db_test!(
    async fn team_scoping(server) {
        let b = server.init_basic().await;
        back_dated(&server, &b).await;
        let team = format!("?team_id={}", b.team_id());
        let site = rows(&b.admin, "").await;
        let scoped = rows(&b.admin, &team).await;
        // The direct message's post is in no team.
        assert_eq!(value(&scoped, "post_count"), value(&site, "post_count") - 1);
        assert_eq!(value(&scoped, "unique_user_count"), active_members(&b, b.team_id()).await);
        assert!(value(&scoped, "unique_user_count") < value(&site, "unique_user_count") + 1);
        assert_eq!(value(&scoped, "inactive_user_count"), -1);
        assert_eq!(value(&scoped, "team_count"), value(&site, "team_count"));
        let other = b.second_team().await;
        let empty = rows(&b.admin, &format!("?team_id={other}")).await;
        let live_other = live_post_count(&server.app.store, Some(&other), PostKind::All, 0, None)
            .await
            .unwrap();
        assert_eq!(value(&empty, "post_count"), live_other, "its join messages only");
        assert_eq!(value(&empty, "unique_user_count"), active_members(&b, &other).await);

        let days = rows(&b.admin, &format!("?name=post_counts_day&team_id={}", b.team_id())).await;
        let two = day_of(utmost_model::now_millis()) - 2 * DAY;
        assert_eq!(days, vec![(date(two), 3)]);
        let extra = rows(&b.admin, &format!("?name=extra_counts&team_id={}", b.team_id())).await;
        assert_eq!(value(&extra, "file_post_count"), 0, "the file was in the direct message");
        assert_eq!(value(&extra, "hashtag_post_count"), 1);
    }
);

dual_db_test!(
    async fn daily_series_live_then_aggregated(server) {
        let b = server.init_basic().await;
        let (two, five, _) = back_dated(&server, &b).await;
        // A bot's post three days ago.
        let bot = User {
            id: utmost_model::new_id(),
            username: "statbot".into(),
            email: "statbot@localhost".into(),
            create_at: utmost_model::now_millis(),
            update_at: utmost_model::now_millis(),
            is_bot: true,
            ..User::default()
        };
        utmost_store::bots::insert(&server.app.store, &bot, b.user_id()).await.unwrap();
        let three = two - DAY;
        post_at(&server, &b.channel, &bot.id, three + 5_000, "beep").await;

        let expect_posts = vec![(date(two), 3), (date(three), 1), (date(five), 1)];
        let expect_bots = vec![(date(three), 1)];
        let expect_posters = vec![(date(two), 2), (date(three), 1), (date(five), 1)];
        let check = |label: &'static str| {
            let admin = &b.admin;
            let (p, bo, u) = (expect_posts.clone(), expect_bots.clone(), expect_posters.clone());
            async move {
                assert_eq!(rows(admin, "?name=post_counts_day").await, p, "{label}");
                assert_eq!(rows(admin, "?name=bot_post_counts_day").await, bo, "{label}");
                assert_eq!(rows(admin, "?name=user_counts_with_posts_day").await, u, "{label}");
                let extra = rows(admin, "?name=extra_counts").await;
                let names: Vec<&str> = extra.iter().map(|(n, _)| n.as_str()).collect();
                assert_eq!(names, EXTRA, "{label}");
                assert_eq!(value(&extra, "file_post_count"), 1, "{label}");
                assert_eq!(value(&extra, "hashtag_post_count"), 1, "{label}");
                assert!(value(&extra, "session_count") >= 3, "{label}");
                assert_eq!(value(&extra, "incoming_webhook_count"), 0, "{label}");
            }
        };
        check("before the pass (whatever the service computed at start)").await;
        let pass = run_pass(&server).await;
        assert_eq!(pass.remaining, 0);
        check("after the pass").await;
        // Today's posts count in the totals, not in the series.
        let standard = rows(&b.admin, "").await;
        assert_eq!(value(&standard, "post_count"), live_total(&server).await);
        // Nothing changed: the next pass only verifies.
        let again = run_pass(&server).await;
        assert_eq!((again.computed, again.recomputed), (0, 0), "{again:?}");
        assert!(again.verified >= 4, "{again:?}");
    }
);

dual_db_test!(
    async fn aggregates_follow_deletions_and_edits(server) {
        let b = server.init_basic().await;
        let (two, _, ids) = back_dated(&server, &b).await;
        run_pass(&server).await;
        let before = rows(&b.admin, "").await;
        assert_eq!(value(&before, "post_count"), live_total(&server).await);

        // A post deleted for good (data retention, permanent deletion) leaves its computed
        // day; the next pass sees the day's checksum changed and computes it again.
        utmost_store::purge::purge_posts(&server.app.store, &ids[..1]).await.unwrap();
        let pass = run_pass(&server).await;
        assert_eq!(pass.recomputed, 1, "{pass:?}");
        let after = rows(&b.admin, "").await;
        assert_eq!(value(&after, "post_count"), value(&before, "post_count") - 1);
        assert_eq!(value(&after, "post_count"), live_total(&server).await);
        assert_eq!(rows(&b.admin, "?name=post_counts_day").await[0], (date(two), 2));

        // A post imported into a computed day is found the same way.
        post_at(&server, &b.channel, b.user_id(), two + 9_000, "late import").await;
        run_pass(&server).await;
        assert_eq!(rows(&b.admin, "?name=post_counts_day").await[0], (date(two), 3));
        let team = rows(&b.admin, &format!("?team_id={}", b.team_id())).await;
        let live_team = live_post_count(&server.app.store, Some(b.team_id()), PostKind::All, 0, None)
            .await
            .unwrap();
        assert_eq!(value(&team, "post_count"), live_team);

        // A soft delete keeps the post in the counts, as Mattermost's.
        b.client
            .delete(&format!("/posts/{}", b.post["id"].as_str().unwrap()))
            .await
            .expect(200);
        let soft = rows(&b.admin, "").await;
        assert_eq!(value(&soft, "post_count"), live_total(&server).await);
    }
);

dual_db_test!(
    async fn who_may_read_statistics(server) {
        let b = server.init_basic().await;
        server.client().get("/analytics/old").await.expect(401);
        b.client
            .get("/analytics/old")
            .await
            .expect_error(403, PERMISSIONS);
        b.client
            .get(&format!("/analytics/old?name=post_counts_day&team_id={}", b.team_id()))
            .await
            .expect_error(403, PERMISSIONS);
        // The read-only admin holds get_analytics, the ancillary permission of the console's
        // Site Statistics and Users read permissions; the user report also needs a system
        // admin.
        let (user, reader) = server.create_user(Some(&b.admin), "readonly").await;
        set_roles(&b, &user, "system_user system_read_only_admin").await;
        assert_eq!(rows(&reader, "").await.len(), 11);
        rows(&reader, "?name=extra_counts").await;
        reader.get("/reports/users").await.expect_error(403, PERMISSIONS);
        reader.get("/reports/users/count").await.expect_error(403, PERMISSIONS);

        // The user manager lacks it, until the System Console grants the role Site
        // Statistics (read), sending the ancillary permissions with it.
        let (user, manager) = server.create_user(Some(&b.admin), "manager").await;
        set_roles(&b, &user, "system_user system_user_manager").await;
        manager.get("/analytics/old").await.expect_error(403, PERMISSIONS);
        let ancillary = b
            .admin
            .get("/permissions/ancillary?subsection_permissions=sysconsole_read_reporting_site_statistics")
            .await
            .expect(200)
            .body;
        assert!(ancillary.as_array().unwrap().contains(&json!("get_analytics")), "{ancillary}");
        let role = b.admin.get("/roles/name/system_user_manager").await.expect(200).body;
        let mut permissions: Vec<Value> = role["permissions"].as_array().unwrap().clone();
        permissions.extend(ancillary.as_array().unwrap().iter().cloned());
        b.admin
            .put(
                &format!("/roles/{}/patch", role["id"].as_str().unwrap()),
                json!({"permissions": permissions}),
            )
            .await
            .expect(200);
        assert_eq!(rows(&manager, "?name=post_counts_day").await.len(), 0);
        manager.get("/reports/users").await.expect_error(403, PERMISSIONS);
        server.client().get("/reports/users").await.expect(401);
        server.client().get("/reports/users/count").await.expect(401);
        b.client.get("/reports/users/count").await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn bad_parameters(server) {
        let b = server.init_basic().await;
        for name in ["nonsense", "STANDARD", "post_counts"] {
            b.admin
                .get(&format!("/analytics/old?name={name}"))
                .await
                .expect_error(400, INVALID_PARAM);
        }
        // The permission is checked before the name.
        b.client
            .get("/analytics/old?name=nonsense")
            .await
            .expect_error(403, PERMISSIONS);
        b.admin
            .get("/reports/users?team_filter=nope")
            .await
            .expect_error(400, "api.getUsersForReporting.invalid_team_filter");
        b.admin
            .get("/reports/users/count?hide_active=true&hide_inactive=true")
            .await
            .expect_error(400, "api.getUsersForReporting.invalid_active_filter");
        for size in ["0", "101", "-3"] {
            b.admin
                .get(&format!("/reports/users?page_size={size}"))
                .await
                .expect_error(400, "api.getUsersForReporting.invalid_page_size");
        }
        b.admin
            .get("/reports/users?sort_column=Password")
            .await
            .expect_error(400, "model.user_report_options.is_valid.invalid_sort_column");
    }
);

dual_db_test!(
    async fn user_report_pages_and_counts(server) {
        let b = server.init_basic().await;
        let two = day_of(utmost_model::now_millis()) - 2 * DAY;
        back_dated(&server, &b).await;
        run_pass(&server).await;
        server.create_user(Some(&b.admin), "loner").await;

        let count = b.admin.get("/reports/users/count").await.expect(200).body;
        assert_eq!(count, json!(4));
        let all = b.admin.get("/reports/users").await.expect(200).body;
        let names: Vec<&str> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["basicuser", "basicuser2", "loner", "sysadmin"]);
        let basic = &all[0];
        assert_eq!(basic["total_posts"], 2, "{basic}");
        assert_eq!(basic["days_active"], 1, "{basic}");
        assert_eq!(basic["last_post_date"], two + 2_000, "{basic}");
        assert!(basic.get("password").is_none() && basic.get("notify_props").is_none());
        assert_eq!(all[1]["days_active"], 2, "{}", all[1]);
        assert_eq!(all[3]["days_active"], 0, "the admin never posted");
        assert!(all[3].get("total_posts").is_none());

        // Keyset pages: two, then the rest after the cursor, then back.
        let first = b.admin.get("/reports/users?page_size=2").await.expect(200).body;
        assert_eq!(first.as_array().unwrap().len(), 2);
        let last = &first[1];
        let next = b
            .admin
            .get(&format!(
                "/reports/users?page_size=2&direction=next&from_column_value={}&from_id={}",
                last["username"].as_str().unwrap(),
                last["id"].as_str().unwrap()
            ))
            .await
            .expect(200)
            .body;
        assert_eq!(usernames(&next), ["loner", "sysadmin"]);
        let back = b
            .admin
            .get(&format!(
                "/reports/users?page_size=2&direction=prev&from_column_value=loner&from_id={}",
                next[0]["id"].as_str().unwrap()
            ))
            .await
            .expect(200)
            .body;
        assert_eq!(usernames(&back), usernames(&first));
        let desc = b
            .admin
            .get("/reports/users?sort_direction=desc&sort_column=Email")
            .await
            .expect(200)
            .body;
        assert_eq!(desc[0]["username"], "sysadmin");

        // Filters.
        let in_team = b
            .admin
            .get(&format!("/reports/users/count?team_filter={}", b.team_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(in_team, json!(active_members(&b, b.team_id()).await));
        let no_team = b.admin.get("/reports/users?has_no_team=true").await.expect(200).body;
        assert!(usernames(&no_team).contains(&"loner".to_string()));
        assert!(!usernames(&no_team).contains(&"basicuser".to_string()));
        let admins = b
            .admin
            .get("/reports/users/count?role_filter=system_admin")
            .await
            .expect(200)
            .body;
        assert_eq!(admins, json!(1));
        let searched = b.admin.get("/reports/users?search_term=basicuser2").await.expect(200).body;
        assert_eq!(searched.as_array().unwrap().len(), 1);
        b.admin
            .delete(&format!("/users/{}", b.user2_id()))
            .await
            .expect(200);
        let inactive = b.admin.get("/reports/users/count?hide_active=true").await.expect(200).body;
        assert_eq!(inactive, json!(1));
        let active = b.admin.get("/reports/users/count?hide_inactive=true").await.expect(200).body;
        assert_eq!(active, json!(3));
        // A date range before the posts leaves the statistics out.
        let previous = b
            .admin
            .get("/reports/users?date_range=last_30_days")
            .await
            .expect(200)
            .body;
        assert_eq!(previous[0]["total_posts"], 2);
    }
);

fn usernames(page: &Value) -> Vec<String> {
    page.as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect()
}

async fn set_roles(b: &Basic, user: &Value, roles: &str) {
    b.admin
        .put(
            &format!("/users/{}/roles", user["id"].as_str().unwrap()),
            json!({"roles": roles}),
        )
        .await
        .expect(200);
}
