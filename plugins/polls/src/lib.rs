//! The polls plugin shipped with Utmost. `/poll "Question" "A" "B" [--anonymous]
//! [--progress] [--public-add-option] [--votes=N]` posts a poll as the Poll Bot; its buttons
//! call this plugin's HTTP routes (through the server's post actions), which count the vote
//! and answer the post's new look, so every member sees the results change at once.

mod command;
mod poll;
mod render;
mod routes;

use utmost_plugin_sdk::{
    api, hook, Command, CommandArgs, CommandResponse, HttpRequest, HttpResponse,
};

pub const PLUGIN_ID: &str = "utmost.polls";
const BOT_USERNAME: &str = "poll";

hook!(on_activate, activate);
hook!(execute_command, execute);
hook!(serve_http, serve);

fn activate(_: serde_json::Value) -> serde_json::Value {
    let registered = api::ensure_bot(BOT_USERNAME, "Poll Bot", "Runs the polls of /poll.").and_then(|_| {
        api::register_command(&Command {
            trigger: "poll".into(),
            auto_complete: true,
            auto_complete_desc: "Create a poll".into(),
            auto_complete_hint: "\"[Question]\" \"[Answer 1]\" \"[Answer 2]\" [--anonymous] [--progress] [--public-add-option] [--votes=N]".into(),
            display_name: "Poll".into(),
            description: "Polls with live results".into(),
        })
    });
    match registered {
        Ok(()) => serde_json::json!({}),
        Err(e) => serde_json::json!({ "error": e.to_string() }),
    }
}

fn execute(args: CommandArgs) -> CommandResponse {
    command::execute(args)
}

fn serve(request: HttpRequest) -> HttpResponse {
    routes::serve(request)
}
