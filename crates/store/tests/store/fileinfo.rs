//! `store::fileinfo` and `store::upload_sessions` (`file_info_store_test.go`,
//! `upload_session_store_test.go`).

use crate::support::*;
use utmost_model::file_info::{FileInfo, UploadSession};
use utmost_store::{fileinfo, upload_sessions, Deleted, Store};

on_both_databases!(
    fileinfo_round_trips_every_column,
    fileinfo_attaches_once_and_only_the_creators,
    fileinfo_lists_and_deletes_with_the_post,
    upload_sessions_advance_only_from_where_they_are,
    upload_sessions_list_oldest_first_within_limits,
);

fn file(creator: &str, at: i64) -> FileInfo {
    FileInfo {
        id: utmost_model::new_id(),
        creator_id: creator.into(),
        channel_id: utmost_model::new_id(),
        create_at: at,
        update_at: at,
        path: "20260101/teams/noteam/channels/c/users/u/f/a.png".into(),
        thumbnail_path: "20260101/teams/noteam/channels/c/users/u/f/a_thumb.jpg".into(),
        name: "a.png".into(),
        extension: "png".into(),
        size: 1234,
        mime_type: "image/png".into(),
        width: 640,
        height: 480,
        has_preview_image: true,
        mini_preview: Some(vec![0xff, 0xd8, 0, 1]),
        content: "searchable text".into(),
        ..FileInfo::default()
    }
}

async fn fileinfo_round_trips_every_column(s: &Store) {
    let f = file(&utmost_model::new_id(), 10);
    fileinfo::insert(s, &f).await.unwrap();
    let got = fileinfo::get(s, &f.id).await.unwrap().unwrap();
    // The extracted text is stored for search but never read back for clients.
    assert_eq!(
        got,
        FileInfo {
            content: String::new(),
            ..f.clone()
        }
    );
    assert!(fileinfo::get(s, &utmost_model::new_id())
        .await
        .unwrap()
        .is_none());
    let many = fileinfo::get_many(s, &[f.id.clone(), utmost_model::new_id()])
        .await
        .unwrap();
    assert_eq!(many.len(), 1);
}

async fn fileinfo_attaches_once_and_only_the_creators(s: &Store) {
    let creator = utmost_model::new_id();
    let f = file(&creator, 10);
    fileinfo::insert(s, &f).await.unwrap();
    let (post, channel) = (utmost_model::new_id(), utmost_model::new_id());
    let stranger = utmost_model::new_id();
    assert!(
        !fileinfo::attach_to_post(s, &f.id, &post, &channel, &stranger, 30)
            .await
            .unwrap()
    );
    assert!(
        fileinfo::attach_to_post(s, &f.id, &post, &channel, &creator, 30)
            .await
            .unwrap()
    );
    let other_post = utmost_model::new_id();
    assert!(
        !fileinfo::attach_to_post(s, &f.id, &other_post, &channel, &creator, 30)
            .await
            .unwrap()
    );
    let got = fileinfo::get(s, &f.id).await.unwrap().unwrap();
    assert_eq!(
        (got.post_id.as_str(), got.channel_id.as_str(), got.update_at),
        (post.as_str(), channel.as_str(), 30)
    );
    // An attached file is not discarded as an unattached one.
    fileinfo::delete_unattached(s, &f.id).await.unwrap();
    assert!(fileinfo::get(s, &f.id).await.unwrap().is_some());
}

async fn fileinfo_lists_and_deletes_with_the_post(s: &Store) {
    let creator = utmost_model::new_id();
    let (post, channel) = (utmost_model::new_id(), utmost_model::new_id());
    let (a, b) = (file(&creator, 20), file(&creator, 10));
    for f in [&a, &b] {
        fileinfo::insert(s, f).await.unwrap();
        assert!(
            fileinfo::attach_to_post(s, &f.id, &post, &channel, &creator, 30)
                .await
                .unwrap()
        );
    }
    let ids = |list: Vec<FileInfo>| list.into_iter().map(|f| f.id).collect::<Vec<_>>();
    let listed = fileinfo::for_post(s, &post, Deleted::Exclude)
        .await
        .unwrap();
    assert_eq!(
        ids(listed),
        vec![b.id.clone(), a.id.clone()],
        "oldest first"
    );
    let listed = fileinfo::for_posts(s, &[post.clone(), utmost_model::new_id()])
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);

    assert_eq!(fileinfo::delete_for_post(s, &post, 99).await.unwrap(), 2);
    assert!(fileinfo::for_post(s, &post, Deleted::Exclude)
        .await
        .unwrap()
        .is_empty());
    assert!(fileinfo::get(s, &a.id).await.unwrap().is_none());
    let kept = fileinfo::for_post(s, &post, Deleted::Include)
        .await
        .unwrap();
    assert!(kept.iter().all(|f| f.delete_at == 99));
    assert_eq!(fileinfo::delete_for_post(s, &post, 100).await.unwrap(), 0);

    let loose = file(&creator, 30);
    fileinfo::insert(s, &loose).await.unwrap();
    fileinfo::delete_unattached(s, &loose.id).await.unwrap();
    assert!(fileinfo::get(s, &loose.id).await.unwrap().is_none());
}

fn upload(user: &str, at: i64) -> UploadSession {
    UploadSession {
        id: utmost_model::new_id(),
        upload_type: "attachment".into(),
        create_at: at,
        user_id: user.into(),
        channel_id: utmost_model::new_id(),
        filename: "big.bin".into(),
        path: "20260101/teams/noteam/channels/c/users/u/up/big.bin".into(),
        file_size: 100,
        file_offset: 0,
        remote_id: String::new(),
        req_file_id: String::new(),
    }
}

async fn upload_sessions_advance_only_from_where_they_are(s: &Store) {
    let user = utmost_model::new_id();
    let us = upload(&user, 5);
    upload_sessions::insert(s, &us).await.unwrap();
    assert_eq!(upload_sessions::get(s, &us.id).await.unwrap().unwrap(), us);
    assert!(upload_sessions::advance(s, &us.id, 0, 60).await.unwrap());
    assert!(
        !upload_sessions::advance(s, &us.id, 0, 50).await.unwrap(),
        "moved already"
    );
    assert_eq!(
        upload_sessions::get(s, &us.id)
            .await
            .unwrap()
            .unwrap()
            .file_offset,
        60
    );
    assert_eq!(
        upload_sessions::for_user(s, &user, 10).await.unwrap().len(),
        1
    );
    upload_sessions::delete(s, &us.id).await.unwrap();
    assert!(upload_sessions::get(s, &us.id).await.unwrap().is_none());
}

async fn upload_sessions_list_oldest_first_within_limits(s: &Store) {
    let (user, other) = (utmost_model::new_id(), utmost_model::new_id());
    let sessions = [upload(&user, 30), upload(&user, 10), upload(&other, 20)];
    for us in &sessions {
        upload_sessions::insert(s, us).await.unwrap();
    }
    let ids = |list: Vec<UploadSession>| list.into_iter().map(|u| u.id).collect::<Vec<_>>();
    let mine = upload_sessions::for_user(s, &user, 10).await.unwrap();
    assert_eq!(
        ids(mine),
        [sessions[1].id.clone(), sessions[0].id.clone()],
        "the user's own, oldest first"
    );
    let first = upload_sessions::for_user(s, &user, 1).await.unwrap();
    assert_eq!(ids(first), [sessions[1].id.clone()]);
    let old = upload_sessions::created_before(s, 30, 10).await.unwrap();
    assert_eq!(
        ids(old),
        [sessions[1].id.clone(), sessions[2].id.clone()],
        "everyone's, created strictly before, oldest first"
    );
    let old = upload_sessions::created_before(s, 30, 1).await.unwrap();
    assert_eq!(ids(old), [sessions[1].id.clone()]);
}
