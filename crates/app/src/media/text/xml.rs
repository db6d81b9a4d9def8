//! The text of one XML part of an Office or OpenDocument file, streamed: nothing but the
//! current event is held, and the budget is checked at every event.

use super::{Budget, Stop};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::borrow::Cow;
use std::io::BufRead;

/// Which elements of a part carry its text.
pub(super) struct Layout<'a> {
    /// The element whose character data is text (`t` in `<w:t>`, `<a:t>`); `None` when all
    /// character data is (OpenDocument).
    pub text_in: Option<&'a str>,
    /// Elements that end a line: paragraphs, rows.
    pub line_after: &'a [&'a str],
    /// Empty elements that stand for a space: tabs, OpenDocument's `<text:s/>`.
    pub spaces: &'a [&'a str],
}

pub(super) fn collect(
    source: &mut dyn BufRead,
    layout: &Layout<'_>,
    budget: &mut Budget,
) -> Result<(), Stop> {
    let mut reader = Reader::from_reader(source);
    let mut buf = Vec::new();
    // Depth inside `text_in` elements (they do not nest in practice, but a count is safe).
    let mut inside = 0usize;
    loop {
        budget.check_time()?;
        let event = reader.read_event_into(&mut buf).map_err(Stop::unreadable)?;
        let in_text = layout.text_in.is_none() || inside > 0;
        match event {
            Event::Start(e) if Some(e.local_name().as_ref()) == layout.text_in => inside += 1,
            Event::End(e) => {
                let name = e.local_name();
                if Some(name.as_ref()) == layout.text_in {
                    inside = inside.saturating_sub(1);
                } else if layout.line_after.contains(&name.as_ref()) {
                    budget.separate("\n")?;
                }
            }
            Event::Empty(e) if layout.spaces.contains(&e.local_name().as_ref()) => {
                budget.separate(" ")?;
            }
            Event::Eof => return Ok(()),
            // Whitespace with a line break between elements is the file's indentation.
            Event::Text(e) if e.xml10_content().trim().is_empty() && e.contains('\n') => {}
            other if in_text => {
                if let Some(text) = text(&other)? {
                    budget.push(&text)?;
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The character data an event carries: text, CDATA, or a character or predefined entity
/// reference (a document's own DTD entities are not expanded, so no billion laughs).
pub(super) fn text<'e>(event: &'e Event<'_>) -> Result<Option<Cow<'e, str>>, Stop> {
    Ok(match event {
        Event::Text(e) => Some(e.xml10_content()),
        Event::CData(e) => Some(e.xml10_content()),
        Event::GeneralRef(e) => {
            let resolved = match e.resolve_char_ref().map_err(Stop::unreadable)? {
                Some(c) => Some(c),
                None => match e.xml10_content().as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => None,
                },
            };
            resolved.map(|c| Cow::Owned(c.to_string()))
        }
        _ => None,
    })
}
