//! GlobalRelay EML (Mattermost's `global_relay_export.go`): one RFC 5322 message per
//! channel conversation of the batch, from its first poster to every participant, with
//! Mattermost's headers, an HTML body listing the participants and the messages, and the
//! conversation's files attached. Utmost writes them into the export zip (`globalrelay-zip`;
//! `globalrelay` too, as it does not mail GlobalRelay's archive itself).

use super::{channel_type_name, Batch};
use crate::compliance::rfc3339;
use mail_builder::headers::raw::Raw;
use mail_builder::MessageBuilder;
use quick_xml::escape::escape;
use std::collections::BTreeSet;
use std::fmt::Write;
use utmost_store::compliance::ExportedPost;

/// `(name in the zip, EML bytes)` for each channel of the batch; `attached` are the files'
/// bytes by their `files/<path>` name.
pub(super) fn emails(
    batch: &Batch,
    attached: &[(String, Vec<u8>)],
) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (channel, posts) in batch.by_channel() {
        let mut participants: BTreeSet<(String, String)> = batch
            .stays_in(&channel.channelid)
            .map(|s| (s.email.clone(), s.username.clone()))
            .collect();
        participants.extend(
            posts
                .iter()
                .map(|p| (p.useremail.clone(), p.username.clone())),
        );
        let to: Vec<(String, String)> = participants
            .iter()
            .map(|(email, name)| (name.clone(), email.clone()))
            .collect();
        let first = posts[0];
        let mut message = MessageBuilder::new()
            .from((first.username.clone(), first.useremail.clone()))
            .to(to)
            .subject(format!(
                "Mattermost Compliance Export: {}",
                channel.channeldisplayname
            ))
            .date(batch.end / 1000)
            .header(
                "X-Mattermost-ChannelType",
                Raw::new(channel_type_name(&channel.channeltype)),
            )
            .header(
                "X-Mattermost-ChannelID",
                Raw::new(channel.channelid.clone()),
            )
            .header("Auto-Submitted", Raw::new("auto-generated"))
            .header("Precedence", Raw::new("bulk"))
            .header("X-GlobalRelay-MsgType", Raw::new("Mattermost"))
            .html_body(body(batch, channel, &posts, &participants));
        for post in &posts {
            for file in batch.files_of(&post.id) {
                let stored = format!("files/{}", file.path);
                if let Some((_, bytes)) = attached.iter().find(|(name, _)| *name == stored) {
                    let mime = if file.mimetype.is_empty() {
                        "application/octet-stream"
                    } else {
                        &file.mimetype
                    };
                    message =
                        message.attachment(mime.to_string(), file.name.clone(), bytes.clone());
                }
            }
        }
        let name = format!("{}-{}.eml", channel.channelname, channel.channelid);
        out.push((name, message.write_to_vec()?));
    }
    Ok(out)
}

/// The HTML body: the conversation's channel, window, participants and messages, an
/// element a line, so ASCII conversations stay readable in the raw EML (7bit).
fn body(
    batch: &Batch,
    channel: &ExportedPost,
    posts: &[&ExportedPost],
    participants: &BTreeSet<(String, String)>,
) -> String {
    let mut html = String::from("<html>\n<body>\n");
    let _ = write!(
        html,
        "<h1>{}</h1>\n<ul>\n<li><b>Channel:</b> {} ({})</li>\n\
         <li><b>Started:</b> {}</li>\n<li><b>Ended:</b> {}</li>\n</ul>\n\
         <h2>Participants</h2>\n<ul>\n",
        escape(&channel.channeldisplayname),
        escape(&channel.channelname),
        channel_type_name(&channel.channeltype),
        rfc3339(batch.start),
        rfc3339(batch.end),
    );
    for (email, username) in participants {
        let _ = writeln!(html, "<li>{} ({})</li>", escape(username), escape(email));
    }
    html.push_str("</ul>\n<h2>Messages</h2>\n<ul>\n");
    for post in posts {
        message_item(&mut html, post.createat, &post.username, &post.message);
        if post.deleteat > 0 && post.originalid.is_empty() {
            let deleted = format!("delete {}", post.message);
            message_item(&mut html, post.deleteat, &post.username, &deleted);
        }
    }
    html.push_str("</ul>\n</body>\n</html>\n");
    html
}

fn message_item(html: &mut String, millis: i64, username: &str, message: &str) {
    let _ = write!(
        html,
        "<li class=\"message\">\n<span class=\"sent_time\">{}</span>\n\
         <span class=\"username\">@{}</span>\n<span class=\"message\">{}</span>\n</li>\n",
        rfc3339(millis),
        escape(username),
        escape(message),
    );
}
