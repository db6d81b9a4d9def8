//! File search: `POST /teams/{team_id}/files/search` and `POST /files/search`, by name
//! (partial words too), extension and extracted content, answered as a `FileInfoList`,
//! only in the channels the reader may search and only for files of live posts.

use crate::files_support::{send, upload_raw, uploaded_id};
use crate::posts_support::{create_channel, outsider};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_testkit::{search_engines_test, Client};

/// Uploads `name` with `bytes` into `channel_id` and posts it there; the post.
async fn share(client: &Client, channel_id: &str, name: &str, bytes: &[u8]) -> Value {
    let file = uploaded_id(upload_raw(client, channel_id, name, bytes).await);
    let body = json!({"channel_id": channel_id, "message": "", "file_ids": [file]});
    client.post("/posts", body).await.expect(201).body
}

/// The id of the one file of `post`.
fn file_of(post: &Value) -> String {
    post["file_ids"][0].as_str().unwrap().to_string()
}

async fn search_in(client: &Client, team_id: &str, body: Value) -> Value {
    let path = format!("/teams/{team_id}/files/search");
    client.post(&path, body).await.expect(200).body
}

fn order(list: &Value) -> Vec<String> {
    let order = list["order"].as_array().unwrap();
    order
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

async fn found(client: &Client, team_id: &str, terms: &str) -> Vec<String> {
    order(&search_in(client, team_id, json!({ "terms": terms })).await)
}

async fn all_teams(client: &Client, terms: &str) -> Vec<String> {
    let body = json!({ "terms": terms });
    order(&client.post("/files/search", body).await.expect(200).body)
}

/// Waits until the indexer has reached every file attached so far: files are indexed in
/// (update time, id) order, batch by batch, so once one attached last is found, all are.
async fn wait_files_indexed(client: &Client, team_id: &str, channel_id: &str) {
    tokio::time::sleep(Duration::from_millis(3)).await;
    let marker = format!("marker{}", utmost_model::new_id());
    let post = share(client, channel_id, &format!("{marker}.txt"), b"marker").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while found(client, team_id, &marker).await != [file_of(&post)] {
        assert!(
            Instant::now() < deadline,
            "the indexer did not reach the files"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn ids(posts: &[&Value]) -> Vec<String> {
    posts.iter().map(|p| file_of(p)).collect()
}

/// Today's and yesterday's UTC dates as `on:` takes them.
fn dates() -> (String, String) {
    let day = |seconds| {
        let (y, m, d, _) = utmost_model::time::utc_date(seconds);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let now = utmost_model::time::now_millis() / 1000;
    (day(now), day(now - 86_400))
}

search_engines_test!(
    async fn names_extensions_content_and_every_modifier(server) {
        let basic = server.init_basic().await;
        let (team, channel) = (basic.team_id().to_string(), basic.channel_id());
        let (c, c2) = (&basic.client, &basic.client2);
        let hosts = share(c, channel, "hostname-list.txt", b"alpha bravo").await;
        let report = share(c, channel, "Quarterly_Report.csv", b"region,revenue\nnorth,10").await;
        let notes = share(c2, channel, "notes.md", b"the hostname of the build box").await;
        let html = share(c, channel, "page.html", b"<html><body><p>Zephyr</p></body></html>").await;
        let other = create_channel(c, &team, "other-files", "O").await;
        let elsewhere = share(c, &id(&other), "hostname-backup.txt", b"charlie").await;
        wait_files_indexed(c, &team, channel).await;
        let (today, yesterday) = dates();
        let user2 = basic.user2["username"].as_str().unwrap().to_string();

        for (terms, expected) in [
            ("hostna".to_string(), vec![&elsewhere, &notes, &hosts]),
            ("hostname-list.txt".into(), vec![&hosts]),
            ("hostname-list".into(), vec![&hosts]),
            ("quarterly_rep".into(), vec![&report]),
            ("revenue".into(), vec![&report]),
            ("\"build box\"".into(), vec![&notes]),
            ("hostna ext:txt".into(), vec![&elsewhere, &hosts]),
            ("hostna -ext:txt".into(), vec![&notes]),
            ("ext:CSV".into(), vec![&report]),
            ("hostna -bravo".into(), vec![&elsewhere, &notes]),
            (format!("hostna from:{user2}"), vec![&notes]),
            (format!("hostna -from:{user2}"), vec![&elsewhere, &hosts]),
            ("hostna in:other-files".into(), vec![&elsewhere]),
            ("hostna -in:other-files".into(), vec![&notes, &hosts]),
            (format!("revenue on:{today}"), vec![&report]),
            (format!("revenue after:{yesterday}"), vec![&report]),
            (format!("revenue before:{today}"), vec![]),
            (format!("revenue -on:{today}"), vec![]),
            // The text extracted from a document, not its markup.
            ("zephyr".into(), vec![&html]),
            ("html".into(), vec![&html]),
            ("body".into(), vec![]),
            ("nothingsuch".into(), vec![]),
        ] {
            assert_eq!(found(c, &team, &terms).await, ids(&expected), "{terms}");
        }
        // Every term, or any with is_or_search.
        let both = json!({"terms": "alpha revenue"});
        assert!(order(&search_in(c, &team, both).await).is_empty());
        let any = json!({"terms": "alpha revenue", "is_or_search": true});
        assert_eq!(order(&search_in(c, &team, any).await), ids(&[&report, &hosts]));

        // The answer is Mattermost's FileInfoList, without the server's paths or the text.
        let list = search_in(c, &team, json!({"terms": "revenue"})).await;
        let info = &list["file_infos"][file_of(&report)];
        assert_eq!(info["name"], "Quarterly_Report.csv");
        assert_eq!(info["extension"], "csv");
        assert_eq!(info["post_id"], id(&report));
        assert_eq!(info["channel_id"], channel);
        assert!(info.get("path").is_none() && info.get("content").is_none(), "{info}");
        for key in ["next_file_info_id", "prev_file_info_id"] {
            assert_eq!(list[key], "", "{key}");
        }
        assert_eq!(list["first_inaccessible_file_time"], 0);

        // Pages, newest first.
        let page = |page: i64| json!({"terms": "hostna", "page": page, "per_page": 2});
        assert_eq!(order(&search_in(c, &team, page(0)).await), ids(&[&elsewhere, &notes]));
        assert_eq!(order(&search_in(c, &team, page(1)).await), ids(&[&hosts]));

        // Bad requests, as Mattermost answers them.
        c.post(&format!("/teams/{team}/files/search"), json!({"terms": ""}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        send(c, "/files/search", "application/json", b"{not json".to_vec())
            .await
            .expect_error(400, "api.post.search_files.invalid_body.app_error");
        let disabled = json!({"terms": "hostna"});
        configure(&server, |config| config.service_settings.enable_file_search = false);
        c.post("/files/search", disabled)
            .await
            .expect_error(501, "store.sql_file_info.search.disabled");
    }
);

search_engines_test!(
    async fn files_of_deleted_posts_and_unsent_uploads_are_not_found(server) {
        let basic = server.init_basic().await;
        let (team, channel) = (basic.team_id().to_string(), basic.channel_id());
        let c = &basic.client;
        let kept = share(c, channel, "ledger-kept.txt", b"kept").await;
        let gone = share(c, channel, "ledger-gone.txt", b"gone").await;
        uploaded_id(upload_raw(c, channel, "ledger-unsent.txt", b"draft").await);
        wait_files_indexed(c, &team, channel).await;
        assert_eq!(found(c, &team, "ledger").await, ids(&[&gone, &kept]));

        c.delete(&format!("/posts/{}", id(&gone))).await.expect(200);
        // At once (the rows are read again), and in the index once it has caught up.
        assert_eq!(found(c, &team, "ledger").await, ids(&[&kept]));
        wait_files_indexed(c, &team, channel).await;
        let page = json!({"terms": "ledger", "per_page": 1});
        assert_eq!(order(&search_in(c, &team, page).await), ids(&[&kept]));
    }
);

search_engines_test!(
    async fn only_channels_the_reader_may_search(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id().to_string();
        let (owner, member) = (&basic.client, &basic.client2);
        let public = share(owner, basic.channel_id(), "secret-public.txt", b"x").await;
        let private = share(owner, &id(&basic.private_channel), "secret-private.txt", b"x").await;
        let dm = share(owner, &id(&basic.dm), "secret-direct.txt", b"x").await;
        let archive = create_channel(owner, &team, "to-archive", "O").await;
        let archived = share(owner, &id(&archive), "secret-archived.txt", b"x").await;
        owner
            .delete(&format!("/channels/{}", id(&archive)))
            .await
            .expect(200);
        let (_, stranger) = outsider(&server, &basic).await;
        wait_files_indexed(owner, &team, basic.channel_id()).await;

        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        // A team member in none of the fixture's channels finds nothing of theirs, even
        // naming the private channel.
        assert!(found(&stranger, &team, "secret").await.is_empty());
        assert!(all_teams(&stranger, "secret").await.is_empty());
        let private_name = basic.private_channel["name"].as_str().unwrap();
        let in_private = format!("secret in:{private_name}");
        assert!(found(&stranger, &team, &in_private).await.is_empty());
        // A member of the three finds them, the direct message too; not the archived one.
        let expected = sorted(ids(&[&public, &private, &dm]));
        assert_eq!(sorted(found(member, &team, "secret").await), expected);
        assert_eq!(sorted(all_teams(member, "secret").await), expected);
        // The archived channel only when asked and allowed.
        let asked = json!({"terms": "secret-archived", "include_deleted_channels": true});
        assert_eq!(order(&search_in(owner, &team, asked.clone()).await), ids(&[&archived]));
        configure(&server, |c| c.team_settings.experimental_view_archived_channels = false);
        assert!(order(&search_in(owner, &team, asked).await).is_empty());
        // Public channels not joined, when configured: never a private channel or a DM.
        configure(&server, |c| {
            c.elasticsearch_settings.enable_search_public_channels_without_membership = true
        });
        assert_eq!(found(&stranger, &team, "secret").await, ids(&[&public]));
        // A channel left is no longer searched.
        let me2 = basic.user2_id();
        owner
            .delete(&format!("/channels/{}/members/{me2}", id(&basic.private_channel)))
            .await
            .expect(200);
        assert!(found(member, &team, &in_private).await.is_empty());
    }
);

search_engines_test!(
    async fn outsiders_are_refused_before_anything_is_read(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id().to_string();
        share(&basic.client, basic.channel_id(), "secret-plan.txt", b"x").await;
        wait_files_indexed(&basic.client, &team, basic.channel_id()).await;
        let (_, stranger) = server.create_user(Some(&basic.admin), "stranger").await;
        let terms = json!({"terms": "secret"});
        stranger
            .post(&format!("/teams/{team}/files/search"), terms.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        assert!(order(&stranger.post("/files/search", terms.clone()).await.expect(200).body).is_empty());
        let anonymous = server.client();
        anonymous
            .post("/files/search", terms)
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);
