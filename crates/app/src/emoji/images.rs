//! Where a custom emoji's image is kept: `<FileSettings.Directory>/emoji/{id}/image`,
//! Mattermost's path in its file store, so a Mattermost data directory serves as it is.
//!
//! This is the only code that touches those files. The files issue (12) brings a file-store
//! backend (local or S3); these functions then move onto it unchanged for their callers.

use crate::App;
use std::io::ErrorKind;
use std::path::PathBuf;

fn emoji_dir(app: &App, id: &str) -> PathBuf {
    PathBuf::from(&app.config().file_settings.directory)
        .join("emoji")
        .join(id)
}

/// Writes the image of emoji `id`. A failed write leaves nothing behind.
pub async fn write(app: &App, id: &str, image: &[u8]) -> std::io::Result<()> {
    let dir = emoji_dir(app, id);
    let written = async {
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::write(dir.join("image"), image).await
    }
    .await;
    if written.is_err() {
        remove(app, id).await;
    }
    written
}

/// Removes everything kept for emoji `id` (an image whose row was never committed).
pub async fn remove(app: &App, id: &str) {
    let dir = emoji_dir(app, id);
    if let Err(e) = tokio::fs::remove_dir_all(&dir).await {
        if e.kind() != ErrorKind::NotFound {
            tracing::warn!(emoji_id = id, error = %e, "could not remove an emoji's image");
        }
    }
}

/// The image of emoji `id`; `None` when there is none.
pub async fn read(app: &App, id: &str) -> std::io::Result<Option<Vec<u8>>> {
    match tokio::fs::read(emoji_dir(app, id).join("image")).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Renames the image of a deleted emoji to `image_deleted`, as Mattermost does: it is no
/// longer served, and an administrator can still find it.
pub async fn retire(app: &App, id: &str) {
    let dir = emoji_dir(app, id);
    if let Err(e) = tokio::fs::rename(dir.join("image"), dir.join("image_deleted")).await {
        tracing::warn!(emoji_id = id, error = %e, "could not rename a deleted emoji's image");
    }
}
