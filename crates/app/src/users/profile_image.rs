//! Profile pictures: an uploaded one from the file store (`users/{id}/profile.png`, where
//! Mattermost keeps it), else Mattermost's default: the user's initial in white on a colour
//! chosen by the user id. Setting one (an upload, the directory's `PictureAttribute`) scales
//! it to 128×128; resetting removes it.

use crate::bus::Event;
use crate::errors::UserError;
use crate::files::storage::StorageError;
use crate::media::{self, MediaError};
use crate::{App, AppResult};
use utmost_model::user::User;
use utmost_model::{now_millis, AppError};
use utmost_store::users as store;

fn picture_path(user_id: &str) -> String {
    format!("users/{user_id}/profile.png")
}

/// Refused without a file store, as Mattermost refuses (501).
pub fn require_storage(app: &App) -> AppResult<()> {
    if app.config().file_settings.driver_name.is_empty() {
        return Err(UserError::PictureStorageOff.into());
    }
    Ok(())
}

/// The picture `bytes` (any raster format the uploads take) would become.
pub async fn prepare(app: &App, bytes: Vec<u8>) -> AppResult<Vec<u8>> {
    let max = u64::try_from(app.config().file_settings.max_image_resolution).unwrap_or(0);
    media::profile_picture(bytes, max)
        .await
        .map_err(|e| match e {
            MediaError::TooLarge { .. } => UserError::PictureTooLarge.into(),
            MediaError::Corrupt(_) => UserError::PictureUndecodable.into(),
            MediaError::Internal(cause) => {
                AppError::internal("api.user.upload_profile_user.encode.app_error", cause)
            }
        })
}

/// `POST /users/{id}/image`: `picture` (made by `prepare`) becomes the user's; their clients
/// hear of it through `user_updated`.
pub async fn set(app: &App, user_id: &str, picture: Vec<u8>) -> AppResult<User> {
    require_storage(app)?;
    let user = crate::users::get(app, user_id).await?;
    app.files
        .store
        .write(&picture_path(user_id), picture)
        .await
        .map_err(|e| {
            AppError::internal("api.user.upload_profile_user.upload_profile.app_error", e)
        })?;
    let now = now_millis();
    mark_changed(app, user, now, now).await
}

/// `DELETE /users/{id}/image`: back to the generated picture (Mattermost's
/// `SetDefaultProfileImage`).
pub async fn reset(app: &App, user_id: &str) -> AppResult<User> {
    require_storage(app)?;
    let user = crate::users::get(app, user_id).await?;
    app.files
        .store
        .remove(&picture_path(user_id))
        .await
        .map_err(|e| {
            AppError::internal("api.user.upload_profile_user.upload_profile.app_error", e)
        })?;
    let now = now_millis();
    mark_changed(app, user, -now, now).await
}

/// Sets the picture made of `source` unless it is the one stored already (a sign-in through
/// the directory brings the same picture each time). Nothing without a file store.
pub(crate) async fn set_if_changed(app: &App, user_id: &str, source: Vec<u8>) -> AppResult<()> {
    if app.config().file_settings.driver_name.is_empty() {
        return Ok(());
    }
    let picture = prepare(app, source).await?;
    if stored(app, user_id).await?.as_deref() != Some(picture.as_slice()) {
        set(app, user_id, picture).await?;
    }
    Ok(())
}

async fn mark_changed(app: &App, user: User, picture_at: i64, now: i64) -> AppResult<User> {
    store::set_last_picture_update(&app.store, &user.id, picture_at, now).await?;
    let user = User {
        last_picture_update: picture_at,
        update_at: now,
        ..user
    };
    app.publish(Event::UserUpdated { user: user.clone() }).await;
    Ok(user)
}

/// The stored picture of `user_id`, if one was set.
pub(crate) async fn stored(app: &App, user_id: &str) -> AppResult<Option<Vec<u8>>> {
    match app.files.store.read(&picture_path(user_id)).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(StorageError::NotFound) => Ok(None),
        Err(e) => Err(AppError::internal(
            "api.user.get_profile_image.app_error",
            e,
        )),
    }
}

/// Side of the square picture, as Mattermost's `ImageProfilePixelDimension`.
const SIDE: u32 = 128;

/// Mattermost's palette, indexed by FNV-1a of the user id modulo its length (the repeats are
/// Mattermost's, and keep the colour each user gets identical to Mattermost's).
const PALETTE: [[u8; 3]; 26] = [
    [197, 8, 126],
    [227, 207, 18],
    [28, 181, 105],
    [35, 188, 224],
    [116, 49, 196],
    [197, 8, 126],
    [197, 19, 19],
    [250, 134, 6],
    [227, 207, 18],
    [123, 201, 71],
    [28, 181, 105],
    [35, 188, 224],
    [116, 49, 196],
    [197, 8, 126],
    [197, 19, 19],
    [250, 134, 6],
    [227, 207, 18],
    [123, 201, 71],
    [28, 181, 105],
    [35, 188, 224],
    [116, 49, 196],
    [197, 8, 126],
    [197, 19, 19],
    [250, 134, 6],
    [227, 207, 18],
    [123, 201, 71],
];

/// 5×7 glyphs for the characters a username can start with; each row's low 5 bits, the
/// leftmost pixel in bit 4.
fn glyph(c: char) -> Option<[u8; 7]> {
    Some(match c {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        _ => return None,
    })
}

fn fnv1a_32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// The background colour Mattermost gives `user_id`.
pub fn colour_for(user_id: &str) -> [u8; 3] {
    let index = fnv1a_32(user_id.as_bytes()) as usize % PALETTE.len();
    PALETTE[index]
}

/// The default picture: 128×128 PNG, the first letter of the username in white.
pub fn default_png(user: &User) -> AppResult<Vec<u8>> {
    const SCALE: u32 = 8;
    let (glyph_w, glyph_h) = (5 * SCALE, 7 * SCALE);
    let (left, top) = ((SIDE - glyph_w) / 2, (SIDE - glyph_h) / 2);
    let background = colour_for(&user.id);
    let initial = user
        .username
        .chars()
        .next()
        .map(|c| c.to_ascii_uppercase())
        .and_then(glyph);
    let mut pixels = Vec::with_capacity((SIDE * SIDE * 3) as usize);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let lit = initial.is_some_and(|g| {
                (left..left + glyph_w).contains(&x)
                    && (top..top + glyph_h).contains(&y)
                    && g[((y - top) / SCALE) as usize] & (0x10 >> ((x - left) / SCALE)) != 0
            });
            pixels.extend_from_slice(if lit { &[255, 255, 255] } else { &background });
        }
    }
    encode_png(&pixels)
        .map_err(|e| AppError::internal("api.user.create_profile_image.encode.app_error", e))
}

fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, SIDE, SIDE);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

/// The picture to show for `user`: the uploaded one or the default. The flag tells whether it
/// is the default, which clients may cache for less time. A store that fails to answer
/// shows the default (logged), as Mattermost's does.
pub async fn get(app: &App, user: &User) -> AppResult<(Vec<u8>, bool)> {
    if !app.config().file_settings.driver_name.is_empty() {
        match stored(app, &user.id).await {
            Ok(Some(bytes)) => return Ok((bytes, false)),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(user_id = %user.id, error = %e, "reading a profile picture failed")
            }
        }
    }
    Ok((default_png(user)?, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(fnv1a_32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a_32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a_32(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn default_picture_is_a_png_in_the_users_colour_with_a_white_initial() {
        let user = User {
            id: "abcdefghijklmnopqrstuvwxyz".into(),
            username: "alice".into(),
            ..User::default()
        };
        let png_bytes = default_png(&user).unwrap();
        assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(png_bytes.as_slice());
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (SIDE, SIDE));
        assert_eq!(&buf[..3], &colour_for(&user.id));
        // The apex of the "A": row 0 of the glyph, middle column.
        let (x, y) = (44 + 2 * 8 + 4, 36 + 4);
        let at = ((y * SIDE + x) * 3) as usize;
        assert_eq!(&buf[at..at + 3], &[255, 255, 255]);
        assert_eq!(default_png(&user).unwrap(), png_bytes);
    }
}
