//! Actiance XML (Mattermost's `actiance_export.go`): a `<FileDump>` of one `<Channel>` per
//! channel, whose events are in time order between `<StartTimeUTC>` and `<EndTimeUTC>`
//! (Unix seconds): a `<JoinEvent>` for each member present in the window (at its join, or
//! the window's start), `<Message>`s (a deletion is a message of its own, "delete …", at
//! the deletion time), `<FileTransferStarted>`/`<FileTransferEnded>` for each file and a
//! `<LeaveEvent>` for each member (at its leave, or the window's end).

use super::{channel_type_name, user_type, Batch};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::io;

/// One event of a channel, with what it writes.
struct Timed {
    millis: i64,
    tag: &'static str,
    login: String,
    user_type: &'static str,
    fields: Vec<(&'static str, String)>,
}

pub(super) fn write(batch: &Batch) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("FileDump")
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .write_inner_content(|w| {
            for (channel, _) in batch.by_channel() {
                w.create_element("Channel").write_inner_content(|w| {
                    let room = format!(
                        "{} - {} - {}",
                        channel_type_name(&channel.channeltype),
                        channel.channelname,
                        channel.channelid
                    );
                    text(w, "RoomID", &room)?;
                    text(w, "StartTimeUTC", &seconds(batch.start))?;
                    for event in events(batch, &channel.channelid) {
                        w.create_element(event.tag).write_inner_content(|w| {
                            text(w, "LoginName", &event.login)?;
                            text(w, "UserType", event.user_type)?;
                            for (name, value) in &event.fields {
                                text(w, name, value)?;
                            }
                            text(w, "DateTimeUTC", &seconds(event.millis))
                        })?;
                    }
                    text(w, "EndTimeUTC", &seconds(batch.end))
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

/// The channel's events in time order (joins before messages before leaves at one time).
fn events(batch: &Batch, channel_id: &str) -> Vec<Timed> {
    let mut events = Vec::new();
    for stay in batch.stays_in(channel_id) {
        let at = |millis: i64, tag: &'static str| Timed {
            millis,
            tag,
            login: stay.email.clone(),
            user_type: user_type(stay.isbot),
            fields: vec![("CorporateEmailID", stay.email.clone())],
        };
        events.push(at(stay.jointime.max(batch.start), "JoinEvent"));
        events.push(at(
            stay.leavetime.unwrap_or(batch.end).min(batch.end),
            "LeaveEvent",
        ));
    }
    for post in batch.posts.iter().filter(|p| p.channelid == channel_id) {
        let at = |millis: i64, tag: &'static str, fields: Vec<(&'static str, String)>| Timed {
            millis,
            tag,
            login: post.useremail.clone(),
            user_type: user_type(post.isbot),
            fields,
        };
        events.push(at(
            post.createat,
            "Message",
            vec![("Content", post.message.clone())],
        ));
        if post.deleteat > 0 && post.originalid.is_empty() {
            let content = format!("delete {}", post.message);
            events.push(at(post.deleteat, "Message", vec![("Content", content)]));
        }
        for file in batch.files_of(&post.id) {
            let fields = || {
                vec![
                    ("FileName", file.name.clone()),
                    ("FilePath", file.path.clone()),
                ]
            };
            events.push(at(post.createat, "FileTransferStarted", fields()));
            events.push(at(post.createat, "FileTransferEnded", fields()));
        }
    }
    let rank = |tag: &str| match tag {
        "JoinEvent" => 0,
        "LeaveEvent" => 2,
        _ => 1,
    };
    events.sort_by_key(|e| (e.millis, rank(e.tag)));
    events
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn seconds(millis: i64) -> String {
    (millis / 1000).to_string()
}
