//! An uploaded image's outputs, as Mattermost's `UploadFileTask.preprocessImage` and
//! `postprocessImage` make them: the size from the header, checked against
//! `MaxImageResolution` before a pixel is decoded; the EXIF orientation applied; a preview
//! at most 1920 wide, a thumbnail 120 wide (landscape) or 100 high (portrait), and a 16×16
//! mini preview. CPU-bound: called on the blocking pool.

use super::{ImageOutputs, MediaError};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

const THUMBNAIL_WIDTH: u32 = 120;
const THUMBNAIL_HEIGHT: u32 = 100;
const PREVIEW_WIDTH: u32 = 1920;
const MINI_PREVIEW_SIDE: u32 = 16;
/// Mattermost's `profileWidthAndHeight`.
const PROFILE_SIDE: u32 = 128;
const JPEG_QUALITY: u8 = 90;
/// The largest intermediate buffer (in pixels, 16 bytes each) the bilinear filter may fill.
const FILTER_BUFFER_PIXELS: u64 = 4 * 1024 * 1024;
/// What a decoder may allocate beyond the decoded pixels (tables, one row or strip of
/// scratch, a GIF's palette): enough for every supported codec, small next to the pixels.
const DECODER_SCRATCH: u64 = 16 * 1024 * 1024;

/// The extensions whose mime type Mattermost treats as a raster image it previews.
pub(super) fn is_raster_extension(extension: &str) -> bool {
    const RASTER: [&str; 10] = [
        "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "tif", "tiff", "webp",
    ];
    RASTER.iter().any(|e| e.eq_ignore_ascii_case(extension))
}

pub(super) fn process(bytes: &[u8], max_resolution: u64) -> Result<ImageOutputs, MediaError> {
    let (image, format) = decode_upright(bytes, max_resolution)?;
    let png = format == ImageFormat::Png;
    let preview = scale_to_width_at_most(&image, PREVIEW_WIDTH);
    // The thumbnail and mini preview come from the preview: the same picture at a fraction
    // of the resampling cost for a large image.
    let thumbnail = thumbnail(&preview);
    let mini = scaled(&preview, MINI_PREVIEW_SIDE, MINI_PREVIEW_SIDE);
    Ok(ImageOutputs {
        width: image.width(),
        height: image.height(),
        thumbnail: encode(&thumbnail, png)?,
        preview: Some(encode(&preview, png)?),
        mini_preview: encode(&mini, false)?,
        has_preview_image: format != ImageFormat::Gif,
        png,
    })
}

/// A profile picture as Mattermost makes one: the image upright, scaled to fill 128×128
/// and cropped about its centre, as PNG.
pub(super) fn profile_picture(bytes: &[u8], max_resolution: u64) -> Result<Vec<u8>, MediaError> {
    let (image, _) = decode_upright(bytes, max_resolution)?;
    let filled = image.resize_to_fill(PROFILE_SIDE, PROFILE_SIDE, FilterType::Lanczos3);
    encode(&filled, true)
}

/// The first frame of `bytes`, turned upright, and the format its content says it is.
fn decode_upright(
    bytes: &[u8],
    max_resolution: u64,
) -> Result<(DynamicImage, ImageFormat), MediaError> {
    let corrupt = |e: image::ImageError| MediaError::Corrupt(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    let format = match reader.format() {
        Some(
            f @ (ImageFormat::Jpeg
            | ImageFormat::Png
            | ImageFormat::Gif
            | ImageFormat::Bmp
            | ImageFormat::Tiff
            | ImageFormat::WebP),
        ) => f,
        _ => return Err(MediaError::Corrupt("not a supported image format".into())),
    };
    // Until the header is read, nothing may be allocated beyond the scratch.
    reader.limits(limits(None, DECODER_SCRATCH));
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    if exceeds(width, height, max_resolution) {
        return Err(MediaError::TooLarge { width, height });
    }
    let pixels = decoder.total_bytes();
    decoder
        .set_limits(limits(
            Some((width, height)),
            pixels.saturating_add(DECODER_SCRATCH),
        ))
        .map_err(corrupt)?;
    let orientation = decoder.orientation().map_err(corrupt)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok((image, format))
}

/// Decoder limits: at most `dimensions` (when known) and `max_alloc` bytes of allocation.
/// Custom emoji images use them too.
pub(crate) fn limits(dimensions: Option<(u32, u32)>, max_alloc: u64) -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = dimensions.map(|(w, _)| w);
    limits.max_image_height = dimensions.map(|(_, h)| h);
    limits.max_alloc = Some(max_alloc);
    limits
}

/// Whether `width × height` is over `max` pixels (a product that cannot overflow in u64).
fn exceeds(width: u32, height: u32, max: u64) -> bool {
    u64::from(width) * u64::from(height) > max
}

/// `side × numerator / denominator`, rounded to the nearest pixel and at least one, as
/// Mattermost's `Resize` computes the side it was not given.
fn proportional(side: u32, numerator: u32, denominator: u32) -> u32 {
    let scaled = (2 * u64::from(side) * u64::from(numerator) + u64::from(denominator))
        / (2 * u64::from(denominator));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

fn scale_to_width_at_most(image: &DynamicImage, width: u32) -> DynamicImage {
    if image.width() <= width {
        return image.clone();
    }
    let height = proportional(image.height(), width, image.width());
    scaled(image, width, height)
}

/// 120 wide for a landscape image, else 100 high, proportions kept (small images grow,
/// as Mattermost's do).
fn thumbnail(image: &DynamicImage) -> DynamicImage {
    let (width, height) = (image.width(), image.height());
    let (w, h) = if width > height {
        (
            THUMBNAIL_WIDTH,
            proportional(height, THUMBNAIL_WIDTH, width),
        )
    } else {
        (
            proportional(width, THUMBNAIL_HEIGHT, height),
            THUMBNAIL_HEIGHT,
        )
    };
    scaled(image, w, h)
}

/// `image` at `width × height`. A bilinear filter gives the best result, but first fills an
/// f32 buffer of the source's width by the target's height, 16 bytes a pixel: past
/// `FILTER_BUFFER_PIXELS`, and whenever a side halves or more (where area averaging is as
/// good), the integer area-averaging shrink is used, which needs no buffer.
fn scaled(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    let buffer_pixels = u64::from(image.width()) * u64::from(height);
    let halves = 2 * width <= image.width() || 2 * height <= image.height();
    if halves || buffer_pixels > FILTER_BUFFER_PIXELS {
        image.thumbnail_exact(width, height)
    } else {
        image.resize_exact(width, height, FilterType::Triangle)
    }
}

fn encode(image: &DynamicImage, png: bool) -> Result<Vec<u8>, MediaError> {
    let failed = |e: image::ImageError| MediaError::Internal(e.to_string());
    let mut out = Vec::new();
    if png {
        let encoder =
            PngEncoder::new_with_quality(&mut out, CompressionType::Fast, PngFilter::Adaptive);
        image.write_with_encoder(encoder).map_err(failed)?;
    } else {
        // JPEG has no alpha: it is dropped, as Go's encoder drops it.
        let encoder = JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
        DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(encoder)
            .map_err(failed)?;
    }
    Ok(out)
}
