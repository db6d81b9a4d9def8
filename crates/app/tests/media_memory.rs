//! Bad uploads cost little memory: a 30,000 × 30,000 PNG, JPEG and GIF are refused from
//! their headers, and zip and deflate bombs stop at their bound. This is the only test in its
//! binary, so the peak resident size it reads (`VmHWM`) is this test's alone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Write};
use utmost_app::media::{extract_text, process_image, MediaError};

const MAX_RESOLUTION: u64 = 33_177_600;
const MIB: u64 = 1 << 20;

/// The process's peak resident size since the last `reset`, above its size then.
struct PeakGrowth {
    resident_at_reset: u64,
}

impl PeakGrowth {
    fn reset() -> Self {
        // Writing 5 to clear_refs resets the peak (VmHWM) to the current resident size.
        std::fs::write("/proc/self/clear_refs", "5").unwrap();
        Self {
            resident_at_reset: status_kib("VmRSS:") * 1024,
        }
    }

    fn bytes(&self) -> u64 {
        (status_kib("VmHWM:") * 1024).saturating_sub(self.resident_at_reset)
    }
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A real 30,000 × 30,000 one-bit greyscale PNG: 110 MB of pixel rows deflated to ~110 KB,
/// 900 million pixels (a gigabyte or more once decoded).
fn png_bomb() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 30_000, 30_000);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![0u8; 30_000 / 8];
    for _ in 0..30_000 {
        stream.write_all(&row).unwrap();
    }
    stream.finish().unwrap();
    writer.finish().unwrap();
    out
}

/// A small real JPEG whose frame header (SOF0) is rewritten to claim 30,000 × 30,000.
fn jpeg_claiming_30000_square() -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::DynamicImage::new_rgb8(8, 8)
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    // Marker (2), length (2), precision (1), then height and width.
    jpeg[sof + 5..sof + 7].copy_from_slice(&30_000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&30_000u16.to_be_bytes());
    jpeg
}

/// A small real GIF whose logical screen is rewritten to claim 30,000 × 30,000.
fn gif_claiming_30000_square() -> Vec<u8> {
    let mut gif = Vec::new();
    image::DynamicImage::new_rgb8(2, 2)
        .write_to(&mut Cursor::new(&mut gif), image::ImageFormat::Gif)
        .unwrap();
    // After "GIF89a": the screen's width and height, little-endian.
    gif[6..8].copy_from_slice(&30_000u16.to_le_bytes());
    gif[8..10].copy_from_slice(&30_000u16.to_le_bytes());
    gif
}

/// A 7680 × 4320 BMP, exactly `MaxImageResolution`'s default, written by hand (the
/// unoptimised test would take most of a minute to encode it as JPEG): 64 distinct rows of
/// gradients, repeated.
fn largest_photo() -> Vec<u8> {
    let (width, height) = (7680u32, 4320u32);
    let row_bytes = width * 3; // a multiple of 4, so rows need no padding
    let pixel_bytes = row_bytes * height;
    let mut bmp = Vec::with_capacity(54 + pixel_bytes as usize);
    bmp.extend_from_slice(b"BM");
    for field in [54 + pixel_bytes, 0, 54, 40, width, height] {
        bmp.extend_from_slice(&field.to_le_bytes());
    }
    bmp.extend_from_slice(&1u16.to_le_bytes()); // planes
    bmp.extend_from_slice(&24u16.to_le_bytes()); // bits per pixel
    for field in [0, pixel_bytes, 2835, 2835, 0, 0] {
        bmp.extend_from_slice(&field.to_le_bytes());
    }
    let rows: Vec<Vec<u8>> = (0..64u8)
        .map(|r| {
            (0..width)
                .flat_map(|x| [(x % 256) as u8, r.wrapping_mul(4), ((x / 30) % 256) as u8])
                .collect()
        })
        .collect();
    for y in 0..height as usize {
        bmp.extend_from_slice(&rows[y % rows.len()]);
    }
    bmp
}

/// A DOCX whose document part is 256 MiB of spaces, deflated to a few hundred KiB.
fn docx_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(b"<w:document><w:body><w:p><w:t>").unwrap();
    let chunk = vec![b' '; MIB as usize];
    for _ in 0..256 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn bombs_and_huge_images_are_refused_within_bounded_memory() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let images = [
        ("png", png_bomb()),
        ("jpg", jpeg_claiming_30000_square()),
        ("gif", gif_claiming_30000_square()),
    ];
    let docx = docx_bomb();
    let largest = largest_photo();

    // The probe sees memory the test touches, so a bound below is a real one.
    let probe = PeakGrowth::reset();
    let touched = std::hint::black_box(vec![1u8; 64 * MIB as usize]);
    assert!(
        probe.bytes() >= 60 * MIB,
        "probe saw {} bytes",
        probe.bytes()
    );
    drop(touched);

    let peak = PeakGrowth::reset();
    for (extension, bytes) in images {
        let refused = runtime.block_on(process_image(bytes, extension, MAX_RESOLUTION));
        assert_eq!(
            refused,
            Err(MediaError::TooLarge {
                width: 30_000,
                height: 30_000
            }),
            "{extension}"
        );
    }
    eprintln!(
        "refusing the images: peak growth {} KiB",
        peak.bytes() / 1024
    );
    assert!(
        peak.bytes() < 4 * MIB,
        "refusing the images took {} MiB",
        peak.bytes() / MIB
    );

    // The largest image allowed costs its decoded pixels (3 bytes each) and little more.
    let peak = PeakGrowth::reset();
    let outputs = runtime.block_on(process_image(largest, "bmp", MAX_RESOLUTION));
    assert_eq!(outputs.unwrap().unwrap().width, 7680);
    let decoded = 7680 * 4320 * 3;
    eprintln!("the largest photo: peak growth {} KiB", peak.bytes() / 1024);
    assert!(
        peak.bytes() < decoded + decoded / 2,
        "a {} MiB image took {} MiB",
        decoded / MIB,
        peak.bytes() / MIB
    );

    // The document's inflated bytes are bounded at 32 MiB.
    let peak = PeakGrowth::reset();
    assert_eq!(
        runtime.block_on(extract_text("bomb.docx", docx, 1 << 20)),
        None
    );
    eprintln!(
        "refusing the zip bomb: peak growth {} KiB",
        peak.bytes() / 1024
    );
    assert!(
        peak.bytes() < 48 * MIB,
        "refusing a 256 MiB zip bomb took {} MiB",
        peak.bytes() / MIB
    );
}
