//! CSV (Mattermost's `csv_export.go`): one row per post, per file attached
//! (`File Attachment`, or `Deleted File`), per deletion ("delete …" at the deletion time)
//! and per join or leave in the window (`EnterChannel`, `LeaveChannel`), with Mattermost's
//! columns.

use super::{channel_type_name, user_type, Batch};
use utmost_store::compliance::ExportedPost;

const HEADER: [&str; 18] = [
    "Post Creation Time",
    "Team Id",
    "Team Name",
    "Team Display Name",
    "Channel Id",
    "Channel Name",
    "Channel Display Name",
    "Channel Type",
    "User Id",
    "User Email",
    "Username",
    "Post Id",
    "Edited By Post Id",
    "Replied to Post Id",
    "Post Message",
    "Post Type",
    "User Type",
    "Previews Post Id",
];

pub(super) fn write(batch: &Batch) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER)?;
    for (channel, posts) in batch.by_channel() {
        for stay in batch.stays_in(&channel.channelid) {
            let events = [
                (Some(stay.jointime), "EnterChannel"),
                (stay.leavetime, "LeaveChannel"),
            ];
            for (time, kind) in events {
                let Some(time) = time.filter(|t| *t > batch.start && *t <= batch.end) else {
                    continue;
                };
                let mut row = channel_columns(channel, time);
                row.extend([
                    stay.userid.clone(),
                    stay.email.clone(),
                    stay.username.clone(),
                ]);
                row.extend([String::new(), String::new(), String::new(), String::new()]);
                row.extend([
                    kind.to_string(),
                    user_type(stay.isbot).into(),
                    String::new(),
                ]);
                out.write_record(&row)?;
            }
        }
        for post in posts {
            out.write_record(post_row(
                post,
                post.createat,
                &post.message,
                &post.post_type,
            ))?;
            if post.deleteat > 0 && post.originalid.is_empty() {
                let message = format!("delete {}", post.message);
                out.write_record(post_row(post, post.deleteat, &message, &post.post_type))?;
            }
            for file in batch.files_of(&post.id) {
                let kind = if file.deleteat > 0 {
                    "Deleted File"
                } else {
                    "File Attachment"
                };
                let message = format!("{} ({})", file.name, file.path);
                out.write_record(post_row(post, file.createat, &message, kind))?;
            }
        }
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

fn channel_columns(post: &ExportedPost, time: i64) -> Vec<String> {
    vec![
        time.to_string(),
        post.teamid.clone(),
        post.teamname.clone(),
        post.teamdisplayname.clone(),
        post.channelid.clone(),
        post.channelname.clone(),
        post.channeldisplayname.clone(),
        channel_type_name(&post.channeltype).to_string(),
    ]
}

fn post_row(post: &ExportedPost, time: i64, message: &str, kind: &str) -> Vec<String> {
    let mut row = channel_columns(post, time);
    row.extend([
        post.userid.clone(),
        post.useremail.clone(),
        post.username.clone(),
        post.id.clone(),
        post.originalid.clone(),
        post.rootid.clone(),
        message.to_string(),
        kind.to_string(),
        user_type(post.isbot).to_string(),
        String::new(),
    ]);
    row
}
