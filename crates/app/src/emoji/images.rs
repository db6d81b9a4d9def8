//! Where a custom emoji's image is kept: `emoji/{id}/image` in the file store (local
//! directory or S3), Mattermost's path, so a Mattermost data directory or bucket serves as
//! it is. This is the only code that touches those files.

use crate::files::storage::StorageError;
use crate::App;

fn image_path(id: &str) -> String {
    format!("emoji/{id}/image")
}

/// Writes the image of emoji `id`. A failed write leaves nothing behind.
pub async fn write(app: &App, id: &str, image: &[u8]) -> Result<(), StorageError> {
    app.files.store.write(&image_path(id), image.to_vec()).await
}

/// Removes everything kept for emoji `id` (an image whose row was never committed).
pub async fn remove(app: &App, id: &str) {
    if let Err(e) = app.files.store.remove_all(&format!("emoji/{id}")).await {
        tracing::warn!(emoji_id = id, error = %e, "could not remove an emoji's image");
    }
}

/// The image of emoji `id`; `None` when there is none.
pub async fn read(app: &App, id: &str) -> Result<Option<Vec<u8>>, StorageError> {
    match app.files.store.read(&image_path(id)).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(StorageError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Renames the image of a deleted emoji to `image_deleted`, as Mattermost does: it is no
/// longer served, and an administrator can still find it.
pub async fn retire(app: &App, id: &str) {
    let to = format!("emoji/{id}/image_deleted");
    if let Err(e) = app.files.store.rename(&image_path(id), &to).await {
        tracing::warn!(emoji_id = id, error = %e, "could not rename a deleted emoji's image");
    }
}
