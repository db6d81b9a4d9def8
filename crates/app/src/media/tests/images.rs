use super::fixtures::*;
use crate::media::{process_image, ImageOutputs, MediaError};
use image::{GenericImageView, ImageFormat};

/// `FileSettings.MaxImageResolution`'s default, 7680 × 4320.
const MAX_RESOLUTION: u64 = 33_177_600;

async fn outputs(bytes: Vec<u8>, extension: &str) -> ImageOutputs {
    process_image(bytes, extension, MAX_RESOLUTION)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_png_keeps_png_outputs_in_mattermosts_sizes() {
    let out = outputs(encoded(halves(300, 200), ImageFormat::Png), "png").await;
    assert_eq!((out.width, out.height), (300, 200));
    assert!(out.has_preview_image);
    assert_eq!(out.extension(), "png");
    assert_eq!(
        format_and_size(&out.thumbnail),
        (ImageFormat::Png, (120, 80))
    );
    let preview = out.preview.unwrap();
    assert_eq!(format_and_size(&preview), (ImageFormat::Png, (300, 200)));
    assert_eq!(
        format_and_size(&out.mini_preview),
        (ImageFormat::Jpeg, (16, 16))
    );
}

#[tokio::test]
async fn a_wide_jpeg_gets_a_1920_preview_and_a_120_wide_thumbnail() {
    let out = outputs(encoded(halves(4000, 1000), ImageFormat::Jpeg), "JPG").await;
    assert_eq!((out.width, out.height), (4000, 1000));
    assert_eq!(out.extension(), "jpg");
    let preview = out.preview.unwrap();
    assert_eq!(format_and_size(&preview), (ImageFormat::Jpeg, (1920, 480)));
    assert_eq!(
        format_and_size(&out.thumbnail),
        (ImageFormat::Jpeg, (120, 30))
    );
}

#[tokio::test]
async fn a_tall_image_gets_a_100_high_thumbnail_and_a_small_one_grows() {
    let out = outputs(encoded(halves(30, 80), ImageFormat::Bmp), "bmp").await;
    assert_eq!(
        format_and_size(&out.thumbnail),
        (ImageFormat::Jpeg, (38, 100))
    );
    let square = outputs(encoded(halves(10, 10), ImageFormat::Png), "png").await;
    assert_eq!(format_and_size(&square.thumbnail).1, (100, 100));
}

#[tokio::test]
async fn the_exif_orientation_is_applied_to_the_size_and_the_pixels() {
    // Orientation 6: the camera was turned a quarter clockwise, so the stored picture's left
    // (red) half is the top of the upright one.
    let out = outputs(jpeg_with_orientation(40, 20, 6), "jpeg").await;
    assert_eq!((out.width, out.height), (20, 40));
    let preview = image::load_from_memory(&out.preview.unwrap()).unwrap();
    assert_eq!(preview.dimensions(), (20, 40));
    let [r, _, b, _] = preview.get_pixel(10, 5).0;
    assert!(r > 150 && b < 100, "top should be red, was {r},{b}");
    let [r, _, b, _] = preview.get_pixel(10, 35).0;
    assert!(b > 150 && r < 100, "bottom should be blue, was {r},{b}");
    // Orientation 3 (upside down) keeps the size.
    let turned = outputs(jpeg_with_orientation(40, 20, 3), "jpeg").await;
    assert_eq!((turned.width, turned.height), (40, 20));
}

#[tokio::test]
async fn an_animated_gif_keeps_a_still_preview_but_no_preview_image() {
    let out = outputs(animated_gif(64, 32, 3), "gif").await;
    assert_eq!((out.width, out.height), (64, 32));
    assert!(!out.has_preview_image);
    let preview = out.preview.unwrap();
    assert_eq!(format_and_size(&preview), (ImageFormat::Jpeg, (64, 32)));
    // The still is the first frame.
    let first = image::load_from_memory(&preview).unwrap().get_pixel(5, 5).0;
    assert!(
        first[0] < 30 && first[2] > 170,
        "first frame's colour, was {first:?}"
    );
    assert_eq!(format_and_size(&out.thumbnail).1, (120, 60));
}

#[tokio::test]
async fn other_files_are_not_images() {
    for extension in ["txt", "pdf", "svg", "psd", ""] {
        let processed = process_image(b"hello".to_vec(), extension, MAX_RESOLUTION).await;
        assert_eq!(processed, Ok(None), "{extension}");
    }
}

#[tokio::test]
async fn a_corrupt_image_is_refused_with_the_cause() {
    let png = encoded(halves(300, 200), ImageFormat::Png);
    let truncated = png[..png.len() / 2].to_vec();
    for (bytes, extension) in [
        (truncated, "png"),
        (b"not an image at all".to_vec(), "jpg"),
        (vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0, 0], "jpg"),
    ] {
        match process_image(bytes, extension, MAX_RESOLUTION).await {
            Err(MediaError::Corrupt(cause)) => assert!(!cause.is_empty()),
            other => panic!("{extension}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn more_pixels_than_max_image_resolution_are_refused_from_the_header() {
    let png = encoded(halves(300, 200), ImageFormat::Png);
    let refused = process_image(png.clone(), "png", 300 * 200 - 1).await;
    assert_eq!(
        refused,
        Err(MediaError::TooLarge {
            width: 300,
            height: 200
        })
    );
    assert!(process_image(png, "png", 300 * 200)
        .await
        .unwrap()
        .is_some());
}
