//! The time `utmost_app::media::process_image` takes per uploaded image (decode, EXIF
//! orientation, preview, thumbnail, mini preview and their encoding), next to decoding the
//! same bytes alone (the baseline, the least any thumbnailer must spend), in the same run.
//! No server: the images are made here and processed in-process, one at a time, each once
//! to warm up and then `rounds` times.

use crate::load_average;
use clap::Args;
use image::codecs::gif::{GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::{Delay, DynamicImage, Frame, ImageFormat, Rgb, RgbImage, RgbaImage};
use std::io::Cursor;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct ThumbnailsArgs {
    /// Timed runs per image (after one warm-up run).
    #[arg(long, default_value_t = 10)]
    rounds: usize,
}

/// `FileSettings.MaxImageResolution`'s default, 7680 × 4320.
const MAX_RESOLUTION: u64 = 33_177_600;

struct Case {
    label: &'static str,
    extension: &'static str,
    bytes: Vec<u8>,
}

pub async fn run(args: &ThumbnailsArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let cases = cases()?;
    println!(
        "Each image processed {} times after a warm-up, one at a time; \
         1-minute load average {load_before} before.\n",
        args.rounds
    );
    println!("| image | file | decode only, median | process_image, median | slowest | ratio |");
    println!("|---|---:|---:|---:|---:|---:|");
    for case in &cases {
        let decode = median(timed(args.rounds, || {
            image::load_from_memory(&case.bytes).map(drop)
        })?);
        let mut runs = Vec::with_capacity(args.rounds);
        for round in 0..=args.rounds {
            let started = Instant::now();
            let outputs = utmost_app::media::process_image(
                case.bytes.clone(),
                case.extension,
                MAX_RESOLUTION,
            )
            .await?;
            anyhow::ensure!(outputs.is_some(), "{} was not processed", case.label);
            if round > 0 {
                runs.push(started.elapsed());
            }
        }
        let slowest = runs.iter().max().copied().unwrap_or_default();
        let process = median(runs);
        println!(
            "| {} | {} KiB | {} | {} | {} | {:.1}× |",
            case.label,
            case.bytes.len() / 1024,
            ms(decode),
            ms(process),
            ms(slowest),
            process.as_secs_f64() / decode.as_secs_f64().max(1e-9),
        );
    }
    println!("\n1-minute load average after: {}", load_average());
    Ok(())
}

fn timed<E: std::error::Error + Send + Sync + 'static>(
    rounds: usize,
    mut job: impl FnMut() -> Result<(), E>,
) -> anyhow::Result<Vec<Duration>> {
    job()?;
    let mut runs = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        job()?;
        runs.push(started.elapsed());
    }
    Ok(runs)
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort_unstable();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// What users upload: camera photos, screenshots, a small picture, an animated GIF.
fn cases() -> anyhow::Result<Vec<Case>> {
    Ok(vec![
        Case {
            label: "JPEG photo 4000×3000",
            extension: "jpg",
            bytes: jpeg(&photo(4000, 3000))?,
        },
        Case {
            label: "JPEG 7680×4320 (MaxImageResolution)",
            extension: "jpg",
            bytes: jpeg(&photo(7680, 4320))?,
        },
        Case {
            label: "PNG screenshot 1920×1080",
            extension: "png",
            bytes: encoded(screenshot(1920, 1080), ImageFormat::Png)?,
        },
        Case {
            label: "PNG 800×600",
            extension: "png",
            bytes: encoded(screenshot(800, 600), ImageFormat::Png)?,
        },
        Case {
            label: "GIF 480×270, 20 frames",
            extension: "gif",
            bytes: animated_gif(480, 270, 20)?,
        },
    ])
}

/// Smooth gradients with fine noise: compresses and decodes like a photograph.
fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 28;
        let channel = |v: u32| u8::try_from((v + noise) % 256).unwrap_or(0);
        Rgb([
            channel(x * 255 / width),
            channel(y * 255 / height),
            channel((x + y) / 32),
        ])
    })
}

/// Flat panels with text-like stripes: what a screenshot compresses like.
fn screenshot(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        if (y / 12) % 3 == 0 && (x / 7) % 5 != 0 {
            Rgb([30, 30, 30])
        } else if x < width / 5 {
            Rgb([40, 50, 70])
        } else {
            Rgb([250, 250, 250])
        }
    })
}

fn jpeg(image: &RgbImage) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90).encode_image(image)?;
    Ok(out)
}

fn encoded(image: RgbImage, format: ImageFormat) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image).write_to(&mut Cursor::new(&mut out), format)?;
    Ok(out)
}

fn animated_gif(width: u32, height: u32, frames: u32) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, 30);
        encoder.set_repeat(Repeat::Infinite)?;
        for i in 0..frames {
            let frame = DynamicImage::ImageRgb8(photo(width, height)).to_rgba8();
            let shifted = RgbaImage::from_fn(width, height, |x, y| {
                *frame.get_pixel((x + i * 8) % width, y)
            });
            encoder.encode_frame(Frame::from_parts(
                shifted,
                0,
                0,
                Delay::from_numer_denom_ms(80, 1),
            ))?;
        }
    }
    Ok(out)
}
