//! Images built in the tests, so every fixture's content is known exactly.

use image::codecs::gif::{GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::{Delay, DynamicImage, Frame, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use std::io::Cursor;

pub const RED: Rgb<u8> = Rgb([220, 20, 20]);
pub const BLUE: Rgb<u8> = Rgb([20, 20, 220]);

/// A `width × height` image, red on its left half and blue on its right.
pub fn halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| if x < width / 2 { RED } else { BLUE })
}

pub fn encoded(image: RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), format)
        .unwrap();
    out
}

/// A JPEG of `halves(width, height)` whose EXIF says to show it turned by `orientation`
/// (1–8), as a phone camera writes it: an APP1 segment right after the start of image.
pub fn jpeg_with_orientation(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    JpegEncoder::new_with_quality(&mut plain, 95)
        .encode_image(&halves(width, height))
        .unwrap();
    // A big-endian TIFF header and one IFD holding the Orientation tag (0x0112, SHORT).
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let length = u16::try_from(exif.len() + 2).unwrap();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A looping GIF of `frames` frames, each one plain colour.
pub fn animated_gif(width: u32, height: u32, frames: u8) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        for i in 0..frames {
            let colour = Rgba([i.wrapping_mul(60), 100, 200, 255]);
            let frame = Frame::from_parts(
                RgbaImage::from_pixel(width, height, colour),
                0,
                0,
                Delay::from_numer_denom_ms(100, 1),
            );
            encoder.encode_frame(frame).unwrap();
        }
    }
    out
}

/// The format and size of encoded bytes.
pub fn format_and_size(bytes: &[u8]) -> (ImageFormat, (u32, u32)) {
    let image = image::load_from_memory(bytes).unwrap();
    (
        image::guess_format(bytes).unwrap(),
        (image.width(), image.height()),
    )
}
