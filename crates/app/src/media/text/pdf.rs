//! A PDF's text, page by page, with `lopdf`: its loader and text extraction both inflate
//! streams against a bound, so a deflate bomb fails instead of filling memory.

use super::{Budget, Stop, INFLATED_LIMIT};
use lopdf::{Document, LoadOptions};

pub(super) fn extract(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    let limit = usize::try_from(INFLATED_LIMIT).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(bytes, options).map_err(Stop::unreadable)?;
    for page in document.get_pages().into_keys() {
        budget.check_time()?;
        match document.extract_text_with_limit(&[page], limit) {
            Ok(text) => budget.push(&text)?,
            Err(lopdf::Error::Decompress(_)) => return Err(Stop::TooBig),
            // A page whose fonts or content lopdf cannot read keeps the others' text.
            Err(e) => tracing::debug!(page, error = %e, "pdf page without text"),
        }
        budget.separate("\n")?;
    }
    Ok(())
}
