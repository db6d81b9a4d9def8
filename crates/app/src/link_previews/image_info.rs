//! An image's size and format from its first bytes, as posts' `metadata.images` carry them
//! (`model.PostImage`), without decoding its pixels.

use image::{ImageDecoder, ImageFormat, ImageReader};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostImage {
    pub width: u32,
    pub height: u32,
    /// Go's format names: "png", "jpeg", "gif".
    pub format: String,
    /// Frames of an animated GIF; 0 for other formats.
    pub frame_count: u32,
}

/// The size (swapped for a JPEG whose orientation turns it), format and GIF frame count of
/// `bytes`, or `None` for what is not a PNG, JPEG or GIF.
pub fn probe(bytes: &[u8]) -> Option<PostImage> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let format = reader.format()?;
    let name = match format {
        ImageFormat::Png => "png",
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Gif => "gif",
        _ => return None,
    };
    let mut decoder = reader.into_decoder().ok()?;
    let (mut width, mut height) = decoder.dimensions();
    if format == ImageFormat::Jpeg {
        let turned = decoder.orientation().is_ok_and(|o| {
            use image::metadata::Orientation::*;
            matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
        });
        if turned {
            std::mem::swap(&mut width, &mut height);
        }
    }
    let frame_count = if format == ImageFormat::Gif {
        gif_frames(bytes)
    } else {
        0
    };
    Some(PostImage {
        width,
        height,
        format: name.into(),
        frame_count,
    })
}

/// Frames in the GIF's bytes, counted without decompressing them; a truncated last frame
/// ends the count.
fn gif_frames(bytes: &[u8]) -> u32 {
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    let Ok(mut decoder) = options.read_info(Cursor::new(bytes)) else {
        return 0;
    };
    let mut count = 0;
    while let Ok(Some(_)) = decoder.next_frame_info() {
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::gif::GifEncoder;
    use image::{Frame, RgbaImage};

    #[test]
    fn png_size_and_gif_frames() {
        let mut png = Vec::new();
        RgbaImage::new(30, 20)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        let info = probe(&png).unwrap_or_default();
        assert_eq!(
            (
                info.width,
                info.height,
                info.format.as_str(),
                info.frame_count
            ),
            (30, 20, "png", 0)
        );

        let mut gif = Vec::new();
        {
            let mut encoder = GifEncoder::new(&mut gif);
            for _ in 0..3 {
                encoder
                    .encode_frame(Frame::new(RgbaImage::new(4, 5)))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let info = probe(&gif).unwrap_or_default();
        assert_eq!(
            (
                info.width,
                info.height,
                info.format.as_str(),
                info.frame_count
            ),
            (4, 5, "gif", 3)
        );
        assert_eq!(probe(b"<html>not an image"), None);
    }
}
