//! Public links (`GeneratePublicLink`): `{SiteURL}/files/{id}/public?h={hash}`, where the
//! hash is SHA-256 over the salt and the file id, so a link names one file and cannot be
//! made without the salt.

use super::download;
use crate::errors::FileError;
use crate::{App, AppResult};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utmost_model::file_info::FileInfo;
use utmost_model::session::Session;

/// `GeneratePublicLinkHash`: unpadded URL-safe base64 of SHA-256(salt ‖ file id).
pub fn hash(file_id: &str, salt: &str) -> String {
    let digest = Sha256::new()
        .chain_update(salt.as_bytes())
        .chain_update(file_id.as_bytes())
        .finalize();
    data_encoding::BASE64URL_NOPAD.encode(&digest)
}

fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().file_settings.enable_public_link {
        Ok(())
    } else {
        Err(FileError::PublicLinkDisabled.into())
    }
}

/// `GET /files/{id}/link`: the public link of a readable file that is on a post.
pub async fn link(
    app: &App,
    session: &Session,
    site_url: &str,
    file_id: &str,
) -> AppResult<String> {
    require_enabled(app)?;
    let info = download::readable(app, session, file_id).await?;
    if info.post_id.is_empty() {
        return Err(FileError::PublicLinkNoPost.into());
    }
    let h = hash(&info.id, &app.files.link_salt);
    Ok(format!("{site_url}/files/{}/public?h={h}", info.id))
}

/// `GET /files/{id}/public?h=`: the file whose link carries the right hash.
pub async fn public_file(app: &App, file_id: &str, h: &str) -> AppResult<FileInfo> {
    require_enabled(app)?;
    let info = download::get(app, file_id).await?;
    let expected = hash(&info.id, &app.files.link_salt);
    if h.is_empty() || !bool::from(h.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(FileError::PublicLinkInvalid.into());
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_mattermosts() {
        // SHA-256("salt" ‖ "file"), unpadded URL-safe base64.
        let h = hash("file", "salt");
        assert_eq!(h, "NSglN7-NFhEkynoazh99s1aDA1vMFoD5DOZwXFAH4eo");
        assert_ne!(h, hash("file", "other salt"));
        assert_ne!(h, hash("filf", "salt"));
    }
}
