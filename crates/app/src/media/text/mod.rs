//! A document's searchable text (Mattermost's `docextractor`, stored in `FileInfo.Content`):
//! PDF, the zipped XML of DOCX, PPTX, XLSX and OpenDocument, the entry names of a ZIP, HTML
//! without its markup, and any other file whose start reads as text. Every reader is bounded:
//! characters kept, bytes inflated, zip entries, and wall time.

mod html;
mod office;
mod pdf;
mod plain;
mod xml;
mod zipped;

use std::time::{Duration, Instant};

/// How long one extraction may run (Mattermost's docextractor `Timeout`).
pub(super) const TIME_LIMIT: Duration = Duration::from_secs(10);
/// The bytes a document may inflate to, across all its parts: far more than any text it
/// could hold within `max_chars`, far less than a bomb's gigabytes.
const INFLATED_LIMIT: u64 = 32 * 1024 * 1024;

/// Why an extraction stopped before the end of the document.
#[derive(Debug)]
pub(super) enum Stop {
    /// The text reached `max_chars`: what is kept is the result.
    Full,
    TimedOut,
    /// The document would inflate past a bound (a zip or deflate bomb).
    TooBig,
    Unreadable(String),
}

impl Stop {
    fn unreadable(e: impl std::fmt::Display) -> Self {
        Self::Unreadable(e.to_string())
    }
}

/// The text gathered so far and what is left of the bounds.
pub(super) struct Budget {
    text: String,
    chars_left: usize,
    deadline: Instant,
}

impl Budget {
    fn new(max_chars: usize, deadline: Instant) -> Self {
        Self {
            text: String::new(),
            chars_left: max_chars,
            deadline,
        }
    }

    /// Appends `piece`, or as much of it as the character bound leaves room for.
    fn push(&mut self, piece: &str) -> Result<(), Stop> {
        self.check_time()?;
        let taken = piece.chars().take(self.chars_left).count();
        let end = piece
            .char_indices()
            .nth(taken)
            .map_or(piece.len(), |(i, _)| i);
        self.text.push_str(&piece[..end]);
        self.chars_left -= taken;
        if taken < piece.chars().count() || self.chars_left == 0 {
            return Err(Stop::Full);
        }
        Ok(())
    }

    /// A separator between two pieces (paragraphs, cells), never at the start of the text
    /// or of a line, nor twice.
    fn separate(&mut self, separator: &str) -> Result<(), Stop> {
        if self.text.is_empty() || self.text.ends_with(separator) || self.text.ends_with('\n') {
            return Ok(());
        }
        self.push(separator)
    }

    fn check_time(&self) -> Result<(), Stop> {
        if Instant::now() >= self.deadline {
            return Err(Stop::TimedOut);
        }
        Ok(())
    }
}

/// The text of `bytes`, named `name`, within `max_chars` and by `deadline`; `None` when it
/// has none, or the document is unreadable, too big or too slow (the reason is logged).
pub(super) fn extract(
    name: &str,
    bytes: &[u8],
    max_chars: usize,
    deadline: Instant,
) -> Option<String> {
    let extension = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let mut budget = Budget::new(max_chars, deadline);
    let outcome = match extension.as_str() {
        "pdf" => pdf::extract(bytes, &mut budget),
        "docx" | "docm" | "dotx" => office::docx(bytes, &mut budget),
        "pptx" | "pptm" | "potx" => office::pptx(bytes, &mut budget),
        "xlsx" | "xlsm" | "xltx" | "xltm" => office::xlsx(bytes, &mut budget),
        "odt" | "ods" | "odp" => office::opendocument(bytes, &mut budget),
        "zip" => zipped::names(bytes, &mut budget),
        "html" | "htm" => html::extract(bytes, &mut budget),
        _ => plain::extract(bytes, &mut budget),
    };
    match outcome {
        Ok(()) | Err(Stop::Full) => {}
        Err(Stop::Unreadable(cause)) => {
            tracing::debug!(name, cause, "no text extracted: unreadable");
            return None;
        }
        Err(stop) => {
            tracing::debug!(name, ?stop, "no text extracted");
            return None;
        }
    }
    let text = budget.text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
