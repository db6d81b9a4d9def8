//! Autocomplete: the team's command list, suggestions for triggers, subcommands, static
//! lists and dynamic lists (from an integration on loopback, through the outgoing guard,
//! and from a provider), and a command a registered provider (the plugin seam) runs.

use crate::commands_support::{allow_integrations, create_command, execute, Integration};
use crate::posts_support::newest_posts;
use futures_util::future::BoxFuture;
use serde_json::{json, Value};
use std::sync::Arc;
use utmost_app::commands::registry::{CommandCall, CommandProvider, ProvidedCommand};
use utmost_app::{App, AppResult};
use utmost_model::command::{
    AutocompleteArg, AutocompleteData, AutocompleteListItem, CommandResponse, ARG_DYNAMIC_LIST,
    ARG_STATIC_LIST,
};
use utmost_testkit::dual_db_test;

/// A plugin's provider: `/jira create|list <project>`, the project a dynamic list.
struct Jira {
    fetch_url: String,
}

impl CommandProvider for Jira {
    fn owner_id(&self) -> &str {
        "com.example.jira"
    }

    fn commands(&self, _team_id: &str) -> Vec<ProvidedCommand> {
        let mut create = AutocompleteData::new("create", "[project]", "Create an issue");
        create.arguments.push(AutocompleteArg {
            help_text: "The project".into(),
            arg_type: ARG_DYNAMIC_LIST.into(),
            required: true,
            data: json!({"FetchURL": self.fetch_url}),
            ..AutocompleteArg::default()
        });
        let mut list = AutocompleteData::new("list", "[state]", "List issues");
        list.arguments.push(AutocompleteArg {
            help_text: "Which".into(),
            arg_type: ARG_STATIC_LIST.into(),
            required: true,
            data: json!({"PossibleArguments": [
                {"Item": "open", "Hint": "", "HelpText": "Open ones"},
                {"Item": "closed", "Hint": "", "HelpText": "Closed ones"}
            ]}),
            ..AutocompleteArg::default()
        });
        let mut jira = AutocompleteData::new("jira", "[command]", "Jira");
        jira.sub_commands = vec![create, list];
        vec![ProvidedCommand {
            trigger: "jira".into(),
            display_name: "Jira".into(),
            auto_complete: true,
            auto_complete_desc: "Jira".into(),
            auto_complete_hint: "[command]".into(),
            autocomplete_data: Some(jira),
            icon_data: String::new(),
        }]
    }

    fn execute<'a>(
        &'a self,
        _app: &'a App,
        call: &'a CommandCall,
        trigger: &'a str,
        message: &'a str,
    ) -> BoxFuture<'a, AppResult<CommandResponse>> {
        let text = format!("{trigger} ran {message} for {}", call.user_id());
        Box::pin(async move { Ok(CommandResponse::in_channel(text)) })
    }

    fn dynamic_list<'a>(
        &'a self,
        _app: &'a App,
        _call: &'a CommandCall,
        _arg: &'a AutocompleteArg,
        _parsed: &'a str,
        _to_be_parsed: &'a str,
    ) -> BoxFuture<'a, AppResult<Vec<AutocompleteListItem>>> {
        Box::pin(async {
            Ok(vec![AutocompleteListItem {
                item: "PLUG".into(),
                ..AutocompleteListItem::default()
            }])
        })
    }
}

fn completes(suggestions: &Value) -> Vec<String> {
    suggestions
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Complete"].as_str().unwrap().to_string())
        .collect()
}

dual_db_test!(
    async fn suggestions_cover_triggers_subcommands_and_static_and_dynamic_lists(server) {
        let basic = server.init_basic().await;
        allow_integrations(&server);
        let integration = Integration::start(json!({
            "projects": [{"Item": "ALPHA", "Hint": "", "HelpText": "Alpha"}, {"Item": "BETA", "Hint": "", "HelpText": "Beta"}]
        }))
        .await;
        server.app.commands.register(Arc::new(Jira { fetch_url: integration.url("projects") }));
        create_command(&basic, "deploy", "http://example.com/x", "P").await;
        let team = basic.team_id();
        let suggest = |input: &str| {
            let client = basic.client.clone();
            let path = format!(
                "/teams/{team}/commands/autocomplete_suggestions?channel_id={}&user_input={}",
                basic.channel_id(),
                input.replace(' ', "%20")
            );
            async move { client.get(&path).await.expect(200).body }
        };

        let listed = basic.client.get(&format!("/teams/{team}/commands/autocomplete")).await.expect(200).body;
        let triggers: Vec<&str> = listed.as_array().unwrap().iter().map(|c| c["trigger"].as_str().unwrap()).collect();
        assert!(triggers.contains(&"jira") && triggers.contains(&"deploy") && triggers.contains(&"echo"));
        let jira = listed.as_array().unwrap().iter().find(|c| c["trigger"] == "jira").unwrap();
        assert_eq!(jira["plugin_id"], "com.example.jira");

        let first = suggest("/de").await;
        assert_eq!(completes(&first), ["deploy"]);
        assert_eq!(first[0]["Description"], "deploy things");
        assert_eq!(first[0]["Hint"], "[what]");
        assert_eq!(completes(&suggest("/jira ").await), ["jira create", "jira list"]);
        assert_eq!(completes(&suggest("/jira list c").await), ["jira list closed"]);
        let dynamic = suggest("/jira create A").await;
        assert_eq!(completes(&dynamic), ["jira create ALPHA"]);
        let fetched = integration.calls();
        assert_eq!(fetched[0].method, "GET");
        let query = fetched[0].fields();
        assert_eq!(query["user_input"], "jira create A");
        assert_eq!(query["parsed"], "jira create ");
        assert_eq!(query["channel_id"], basic.channel_id());
        assert_eq!(query["user_id"], basic.user_id());

        basic
            .client
            .get(&format!("/teams/{team}/commands/autocomplete_suggestions"))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let (_, stranger) = server.create_user(Some(&basic.admin), "stranger").await;
        stranger
            .get(&format!("/teams/{team}/commands/autocomplete_suggestions?user_input=/e"))
            .await
            .expect(403);
    }
);

dual_db_test!(
    async fn a_dynamic_list_on_an_internal_address_is_refused_and_a_provider_answers_its_own(server) {
        let basic = server.init_basic().await;
        let integration = Integration::start(json!({"projects": [{"Item": "ALPHA", "Hint": "", "HelpText": ""}]})).await;
        server.app.commands.register(Arc::new(Jira { fetch_url: integration.url("projects") }));
        let path = format!(
            "/teams/{}/commands/autocomplete_suggestions?user_input=/jira%20create%20",
            basic.team_id()
        );
        // Loopback is not allowed: nothing is fetched, nothing suggested.
        let refused = basic.client.get(&path).await.expect(200).body;
        assert!(completes(&refused).is_empty());
        assert!(integration.calls().is_empty());

        // A relative URL is the provider's to answer.
        server.app.commands.register(Arc::new(Jira { fetch_url: "/projects".into() }));
        let own = basic.client.get(&path).await.expect(200).body;
        assert_eq!(completes(&own), ["jira create PLUG"]);
    }
);

dual_db_test!(
    async fn a_registered_provider_runs_its_command_until_it_is_unregistered(server) {
        let basic = server.init_basic().await;
        server.app.commands.register(Arc::new(Jira { fetch_url: String::new() }));
        execute(&basic.client, &basic, "/jira create X").await.expect(200);
        let posts = newest_posts(&basic.admin, basic.channel_id()).await;
        let expected = format!("jira ran create X for {}", basic.user_id());
        assert!(posts.iter().any(|p| p["message"] == expected.as_str()));
        assert!(server.app.commands.unregister("com.example.jira"));
        execute(&basic.client, &basic, "/jira create X")
            .await
            .expect_error(404, "api.command.execute_command.not_found.app_error");
    }
);
