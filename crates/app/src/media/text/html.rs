//! HTML's text: the markup, scripts and styles dropped, the common entities decoded.
//! Hand-written rather than an HTML parser: search only needs the words, and a tag
//! scanner has no depth or state an input can blow up.

use super::{Budget, Stop};

pub(super) fn extract(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    let html = String::from_utf8_lossy(bytes);
    let mut rest = html.as_ref();
    while let Some(open) = rest.find('<') {
        push_text(&rest[..open], budget)?;
        rest = &rest[open..];
        let skipped_to = skipped_element_end(rest).unwrap_or(rest.len());
        rest = &rest[skipped_to..];
        budget.separate(" ")?;
    }
    push_text(rest, budget)?;
    Ok(())
}

/// Where the tag at the start of `rest` ends, or with `<script>` and `<style>`, where
/// their closing tag ends.
fn skipped_element_end(rest: &str) -> Option<usize> {
    let tag_end = rest.find('>')? + 1;
    let lower = rest[..tag_end].to_ascii_lowercase();
    for hidden in ["script", "style"] {
        if lower.starts_with(&format!("<{hidden}")) {
            let closing = format!("</{hidden}");
            let at = rest.to_ascii_lowercase().find(&closing)?;
            return Some(at + rest[at..].find('>')? + 1);
        }
    }
    Some(tag_end)
}

fn push_text(text: &str, budget: &mut Budget) -> Result<(), Stop> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        budget.push(&rest[..amp])?;
        rest = &rest[amp..];
        match rest.find(';').filter(|&end| end <= 10) {
            Some(end) => {
                match entity(&rest[1..end]) {
                    Some(c) => budget.push(c.encode_utf8(&mut [0; 4]))?,
                    None => budget.push(&rest[..=end])?,
                }
                rest = &rest[end + 1..];
            }
            None => {
                budget.push("&")?;
                rest = &rest[1..];
            }
        }
    }
    budget.push(rest)
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}
