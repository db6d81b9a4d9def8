//! Any file whose first KiB is text is text (Mattermost's `plainExtractor`): markdown, CSV,
//! JSON, source code, logs. A binary file fails the check on its first control byte.

use super::{Budget, Stop};

const SNIFFED: usize = 1024;

pub(super) fn extract(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    if !starts_as_text(bytes) {
        return Ok(());
    }
    budget.push(&String::from_utf8_lossy(bytes))
}

fn starts_as_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFFED)];
    // A character cut by the KiB boundary still counts as text.
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    valid.chars().all(|c| !c.is_control() || c.is_whitespace())
}
