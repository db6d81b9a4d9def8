//! The image of a new custom emoji (Mattermost's `uploadEmojiImage`): it must be a GIF, PNG
//! or JPEG of at most `MaxEmojiOriginalWidth` by `MaxEmojiOriginalHeight`; one larger than
//! `MaxEmojiWidth` by `MaxEmojiHeight` is shrunk to fit, keeping its proportions (a still
//! image becomes a PNG, a GIF stays a GIF with all its frames), and a smaller one is kept as
//! uploaded. CPU-bound: run it off the async workers.

use crate::errors::EmojiError;
use crate::AppResult;
use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::imageops::{self, FilterType};
use image::{AnimationDecoder, Frame, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use utmost_model::AppError;

/// `MaxEmojiFileSize`: the largest request `POST /emoji` reads.
pub const MAX_EMOJI_FILE_SIZE: usize = 1 << 19;
/// `MaxEmojiWidth` and `MaxEmojiHeight`: larger images are shrunk to fit.
pub const MAX_EMOJI_SIDE: u32 = 128;
/// `MaxEmojiOriginalWidth` and `MaxEmojiOriginalHeight`: larger images are refused.
pub const MAX_EMOJI_ORIGINAL_SIDE: u32 = 1028;
/// Utmost's bound on the pixels decoded from all the frames of one GIF (Mattermost has none):
/// a 512 KiB file can hold thousands of frames, each of them 1028 by 1028.
const MAX_GIF_PIXELS: u64 = 64 * 1024 * 1024;
/// Utmost's bound on the memory one decoder may take.
const MAX_DECODER_ALLOC: u64 = 64 * 1024 * 1024;
/// The GIF encoder's quantisation speed (1 is slowest and best, 30 fastest).
const GIF_ENCODE_SPEED: i32 = 10;

/// The bytes to store for the uploaded `data`.
pub fn prepare(data: Vec<u8>) -> AppResult<Vec<u8>> {
    let reader = ImageReader::new(Cursor::new(&data))
        .with_guessed_format()
        .map_err(|_| EmojiError::NotAnImage)?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Gif | ImageFormat::Png | ImageFormat::Jpeg)) => f,
        _ => return Err(EmojiError::NotAnImage.into()),
    };
    // Only the header is read here; nothing is decoded before the size is known.
    let (width, height) = reader
        .into_dimensions()
        .map_err(|_| EmojiError::NotAnImage)?;
    if width > MAX_EMOJI_ORIGINAL_SIDE || height > MAX_EMOJI_ORIGINAL_SIDE {
        return Err(EmojiError::ImageTooLarge.into());
    }
    if width <= MAX_EMOJI_SIDE && height <= MAX_EMOJI_SIDE {
        return Ok(data);
    }
    if format == ImageFormat::Gif {
        shrink_gif(&data, width, height)
    } else {
        shrink_still(&data, format)
    }
}

/// The image type of stored bytes, for `Content-Type`.
pub fn content_type(image: &[u8]) -> Option<&'static str> {
    match image::guess_format(image).ok()? {
        f @ (ImageFormat::Gif | ImageFormat::Png | ImageFormat::Jpeg) => Some(f.to_mime_type()),
        _ => None,
    }
}

fn limits() -> Limits {
    let largest = (MAX_EMOJI_ORIGINAL_SIDE, MAX_EMOJI_ORIGINAL_SIDE);
    crate::media::decoder_limits(Some(largest), MAX_DECODER_ALLOC)
}

/// `(width, height)` scaled to fit `MAX_EMOJI_SIDE` square, proportions kept.
fn fit(width: u32, height: u32) -> (u32, u32) {
    let longest = u64::from(width.max(height));
    let scale = |side: u32| {
        let scaled = u64::from(side) * u64::from(MAX_EMOJI_SIDE) / longest;
        u32::try_from(scaled).unwrap_or(MAX_EMOJI_SIDE).max(1)
    };
    (scale(width), scale(height))
}

fn encode_failed(e: impl std::fmt::Display) -> AppError {
    AppError::internal("api.emoji.upload.large_image.encode_error", e)
}

fn shrink_still(data: &[u8], format: ImageFormat) -> AppResult<Vec<u8>> {
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    reader.limits(limits());
    let image = reader.decode().map_err(|_| EmojiError::Undecodable)?;
    let (width, height) = fit(image.width(), image.height());
    let small = image.resize_exact(width, height, FilterType::Lanczos3);
    let mut out = Vec::new();
    small
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(encode_failed)?;
    Ok(out)
}

/// Shrinks every frame, one at a time, so only one full-size frame is ever held.
fn shrink_gif(data: &[u8], width: u32, height: u32) -> AppResult<Vec<u8>> {
    let mut decoder = GifDecoder::new(Cursor::new(data)).map_err(|_| EmojiError::GifUndecodable)?;
    decoder
        .set_limits(limits())
        .map_err(|_| EmojiError::GifUndecodable)?;
    let max_frames = MAX_GIF_PIXELS / (u64::from(width) * u64::from(height)).max(1);
    let (small_width, small_height) = fit(width, height);
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, GIF_ENCODE_SPEED);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(encode_failed)?;
        let mut frames = 0u64;
        for frame in decoder.into_frames() {
            frames += 1;
            if frames > max_frames {
                return Err(EmojiError::GifUndecodable.into());
            }
            let frame = frame.map_err(|_| EmojiError::GifUndecodable)?;
            let delay = frame.delay();
            let small = imageops::resize(
                frame.buffer(),
                small_width,
                small_height,
                FilterType::Lanczos3,
            );
            encoder
                .encode_frame(Frame::from_parts(small, 0, 0, delay))
                .map_err(encode_failed)?;
        }
        if frames == 0 {
            return Err(EmojiError::GifUndecodable.into());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_keeps_proportions() {
        assert_eq!(fit(256, 256), (128, 128));
        assert_eq!(fit(1028, 257), (128, 32));
        assert_eq!(fit(129, 1), (128, 1));
        assert_eq!(fit(10, 1000), (1, 128));
    }
}
