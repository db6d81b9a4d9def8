//! An SVG's size, read from its root element as Mattermost's `imaging.ParseSVG` reads it
//! (SVGs are not rasterised, so this is all `FileInfo` gets: no previews).

use quick_xml::events::Event;
use quick_xml::Reader;

/// The root element's `viewBox` size if it has four values, else its `width` and `height`
/// (leading digits, so `"120px"` is 120); `None` when either is missing or zero.
pub fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut reader = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let root = loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => break e.into_owned(),
            Event::Eof => return None,
            _ => buf.clear(),
        }
    };
    let (mut width, mut height) = (0, 0);
    for attribute in root.attributes() {
        let attribute = attribute.ok()?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()?;
        match attribute.key.local_name().as_ref() {
            "viewBox" => {
                if let [_, _, w, h] = value.split_whitespace().collect::<Vec<_>>()[..] {
                    return Some((leading_number(w)?, leading_number(h)?))
                        .filter(|&(w, h)| w > 0 && h > 0);
                }
            }
            "width" => width = leading_number(&value)?,
            "height" => height = leading_number(&value)?,
            _ => {}
        }
    }
    (width > 0 && height > 0).then_some((width, height))
}

fn leading_number(value: &str) -> Option<u32> {
    let digits = value.trim_start();
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::svg_size;

    #[test]
    fn the_size_comes_from_the_view_box_or_width_and_height() {
        let view_box = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" viewBox="0 0 300 150"><rect/></svg>"#;
        assert_eq!(svg_size(view_box), Some((300, 150)));
        let sized = br#"<svg width="120px" height="80.5"></svg>"#;
        assert_eq!(svg_size(sized), Some((120, 80)));
        assert_eq!(
            svg_size(br#"<!-- a drawing --><svg width="1" height="2"/>"#),
            Some((1, 2))
        );
    }

    #[test]
    fn no_size_without_both_sides() {
        assert_eq!(svg_size(br#"<svg width="120"></svg>"#), None);
        assert_eq!(
            svg_size(br#"<svg viewBox="0 0 0 10" width="5" height="5"/>"#),
            None
        );
        assert_eq!(svg_size(b"not xml at all"), None);
        assert_eq!(svg_size(br#"<svg width="auto" height="3"/>"#), None);
    }
}
