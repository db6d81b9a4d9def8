//! An example plugin: `message_will_be_posted` refuses a post that contains the blocked word
//! (the `BlockedWord` setting) and masks "darn" in the others.

use utmost_plugin_sdk::{api, hook, PostDecision, PostEvent};

hook!(message_will_be_posted, filter);

fn filter(event: PostEvent) -> PostDecision {
    let blocked = api::get_plugin_config()
        .ok()
        .and_then(|c| {
            c.get("BlockedWord")
                .and_then(|w| w.as_str())
                .map(str::to_lowercase)
        })
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "forbidden".to_owned());
    let message = event.post.message.to_lowercase();
    if message.contains(&blocked) {
        return PostDecision::reject(format!("the word \"{blocked}\" is not allowed here"));
    }
    if message.contains("darn") {
        let mut post = event.post;
        post.message = post.message.replace("darn", "d**n");
        return PostDecision::replace(post);
    }
    PostDecision::keep()
}
