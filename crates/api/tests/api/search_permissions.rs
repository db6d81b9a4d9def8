//! Search shows only what the reader may see: their channels (and public channels not
//! joined, when configured), never a private channel, direct or group message they are not
//! in or have left, and archived channels only when asked and allowed.

use crate::posts_support::create_channel;
use crate::posts_support::{create_post, outsider};
use crate::search_posts::{order, search, wait_indexed};
use crate::support::{configure, id};
use serde_json::{json, Value};
use utmost_testkit::{search_engines_test, Client};

async fn all_teams(client: &Client, body: Value) -> Vec<String> {
    order(&client.post("/posts/search", body).await.expect(200).body)
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn ids_of(posts: &[&Value]) -> Vec<String> {
    sorted(posts.iter().map(|p| id(p)).collect())
}

search_engines_test!(
    async fn only_member_channels_are_searched(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id().to_string();
        let (owner, member) = (&basic.client, &basic.client2);
        let public = create_post(owner, basic.channel_id(), "secret public").await;
        let private = create_post(owner, &id(&basic.private_channel), "secret private").await;
        let dm = create_post(owner, &id(&basic.dm), "secret direct").await;
        let (_, stranger) = outsider(&server, &basic).await;
        let own_channel = create_channel(&stranger, &team, "strangers", "O").await;
        let own = create_post(&stranger, &id(&own_channel), "secret own").await;
        wait_indexed(owner, &team, basic.channel_id()).await;

        let terms = json!({"terms": "secret"});
        // The team member in no channel of the fixture finds only their own channel's post,
        // in the team and across teams.
        assert_eq!(order(&search(&stranger, &team, terms.clone()).await), [id(&own)]);
        assert_eq!(all_teams(&stranger, terms.clone()).await, [id(&own)]);
        // A member of all three finds them all, the direct message included in a team search.
        assert_eq!(
            sorted(order(&search(member, &team, terms.clone()).await)),
            ids_of(&[&public, &private, &dm])
        );
        // Naming a channel one is not in does not open it.
        let in_private = json!({"terms": format!("secret in:{}", basic.private_channel["name"].as_str().unwrap())});
        assert!(order(&search(&stranger, &team, in_private.clone()).await).is_empty());
        // After leaving the private channel, its posts are no longer found.
        let me2 = basic.user2_id();
        owner
            .delete(&format!("/channels/{}/members/{me2}", id(&basic.private_channel)))
            .await
            .expect(200);
        assert!(order(&search(member, &team, in_private).await).is_empty());
        assert_eq!(
            sorted(order(&search(member, &team, terms.clone()).await)),
            ids_of(&[&public, &dm])
        );

        // Public channels not joined, when configured: never a private channel or a DM.
        configure(&server, |c| {
            c.elasticsearch_settings.enable_search_public_channels_without_membership = true
        });
        assert_eq!(
            sorted(order(&search(&stranger, &team, terms.clone()).await)),
            ids_of(&[&public, &own])
        );
        assert_eq!(sorted(all_teams(&stranger, terms).await), ids_of(&[&public, &own]));
    }
);

search_engines_test!(
    async fn archived_channels_only_when_asked_and_allowed(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id().to_string();
        let owner = &basic.client;
        let channel = create_channel(owner, &team, "to-archive", "O").await;
        let archived = create_post(owner, &id(&channel), "secret archived").await;
        owner
            .delete(&format!("/channels/{}", id(&channel)))
            .await
            .expect(200);
        wait_indexed(owner, &team, basic.channel_id()).await;

        let plain = json!({"terms": "archived"});
        let asked = json!({"terms": "archived", "include_deleted_channels": true});
        assert!(order(&search(owner, &team, plain).await).is_empty());
        assert_eq!(order(&search(owner, &team, asked.clone()).await), [id(&archived)]);
        assert_eq!(all_teams(owner, asked.clone()).await, [id(&archived)]);
        // Someone who was never a member does not find it, asked or not, even with public
        // channels searched without membership.
        let (_, stranger) = outsider(&server, &basic).await;
        configure(&server, |c| {
            c.elasticsearch_settings.enable_search_public_channels_without_membership = true
        });
        assert!(order(&search(&stranger, &team, asked.clone()).await).is_empty());
        // Where the clients may not show archived channels, they are not searched.
        configure(&server, |c| c.team_settings.experimental_view_archived_channels = false);
        assert!(order(&search(owner, &team, asked).await).is_empty());
    }
);

search_engines_test!(
    async fn teams_bound_the_search_and_outsiders_are_refused(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id().to_string();
        let owner = &basic.client;
        let here = create_post(owner, basic.channel_id(), "secret here").await;
        let team2_id = basic.second_team().await;
        let elsewhere_channel = create_channel(owner, &team2_id, "elsewhere", "O").await;
        let elsewhere = create_post(owner, &id(&elsewhere_channel), "secret elsewhere").await;
        wait_indexed(owner, &team, basic.channel_id()).await;

        let terms = json!({"terms": "secret"});
        assert_eq!(order(&search(owner, &team, terms.clone()).await), [id(&here)]);
        assert_eq!(order(&search(owner, &team2_id, terms.clone()).await), [id(&elsewhere)]);
        assert_eq!(all_teams(owner, terms.clone()).await, [id(&elsewhere), id(&here)]);
        // Not on the team: 403 before anything is read.
        let (_, stranger) = server.create_user(Some(&basic.admin), "stranger").await;
        stranger
            .post(&format!("/teams/{team}/posts/search"), terms.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        assert!(all_teams(&stranger, terms).await.is_empty());
    }
);
