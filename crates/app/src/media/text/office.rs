//! The zipped-XML documents: Word, PowerPoint and Excel (Office Open XML) and OpenDocument.
//! Each is a ZIP whose text sits in known parts; only those are inflated.

use super::xml::{self, Layout};
use super::zipped::Archive;
use super::{Budget, Stop};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::BufRead;

pub(super) fn docx(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    let layout = Layout {
        text_in: Some("t"),
        line_after: &["p"],
        spaces: &["tab", "br"],
    };
    Archive::open(bytes)?.read("word/document.xml", |part| {
        xml::collect(part, &layout, budget)
    })
}

pub(super) fn pptx(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    let mut archive = Archive::open(bytes)?;
    let layout = Layout {
        text_in: Some("t"),
        line_after: &["p"],
        spaces: &["br"],
    };
    for slide in numbered_parts(&archive, "ppt/slides/slide", ".xml") {
        archive.read(&slide, |part| xml::collect(part, &layout, budget))?;
        budget.separate("\n")?;
    }
    Ok(())
}

/// Each sheet's rows, one line per row with its cells separated by tabs (as Mattermost's
/// `xlsxExtractor`); a shared string is looked up in `xl/sharedStrings.xml`.
pub(super) fn xlsx(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    let mut archive = Archive::open(bytes)?;
    let shared = if archive.contains("xl/sharedStrings.xml") {
        archive.read("xl/sharedStrings.xml", |part| shared_strings(part, budget))?
    } else {
        Vec::new()
    };
    for sheet in numbered_parts(&archive, "xl/worksheets/sheet", ".xml") {
        archive.read(&sheet, |part| sheet_rows(part, &shared, budget))?;
        budget.separate("\n")?;
    }
    Ok(())
}

pub(super) fn opendocument(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    let layout = Layout {
        text_in: None,
        line_after: &["p", "h", "table-row"],
        spaces: &["s", "tab", "line-break"],
    };
    Archive::open(bytes)?.read("content.xml", |part| xml::collect(part, &layout, budget))
}

/// `{prefix}{n}{suffix}` parts in the order of `n` (`slide2` before `slide10`).
fn numbered_parts(archive: &Archive<'_>, prefix: &str, suffix: &str) -> Vec<String> {
    let mut parts: Vec<(u32, String)> = archive
        .file_names()
        .filter_map(|name| {
            let n = name
                .strip_prefix(prefix)?
                .strip_suffix(suffix)?
                .parse()
                .ok()?;
            Some((n, name.into_owned()))
        })
        .collect();
    parts.sort_unstable();
    parts.into_iter().map(|(_, name)| name).collect()
}

/// The shared string table: the text of each `<si>`, in order. Its total size is bounded
/// by the inflated bytes, and the budget's clock is checked as it is read.
fn shared_strings(part: &mut dyn BufRead, budget: &Budget) -> Result<Vec<String>, Stop> {
    let mut reader = Reader::from_reader(part);
    let mut buf = Vec::new();
    let mut strings = Vec::new();
    let mut current: Option<String> = None;
    loop {
        budget.check_time()?;
        match reader.read_event_into(&mut buf).map_err(Stop::unreadable)? {
            Event::Start(e) if e.local_name().as_ref() == "si" => current = Some(String::new()),
            Event::End(e) if e.local_name().as_ref() == "si" => {
                strings.extend(current.take());
            }
            Event::Eof => return Ok(strings),
            other => {
                if let (Some(current), Some(text)) = (current.as_mut(), xml::text(&other)?) {
                    current.push_str(&text);
                }
            }
        }
        buf.clear();
    }
}

/// One sheet: `<row>` of `<c t="…"><v>…</v></c>` (or `<is><t>…</t></is>` inline).
fn sheet_rows(part: &mut dyn BufRead, shared: &[String], budget: &mut Budget) -> Result<(), Stop> {
    let mut reader = Reader::from_reader(part);
    let mut buf = Vec::new();
    let mut shared_cell = false;
    let mut in_value = false;
    loop {
        budget.check_time()?;
        match reader.read_event_into(&mut buf).map_err(Stop::unreadable)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "c" => {
                    shared_cell = e
                        .try_get_attribute("t")
                        .map_err(Stop::unreadable)?
                        .is_some_and(|t| t.value.as_ref() == "s");
                    budget.separate("\t")?;
                }
                "v" | "t" => in_value = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "v" | "t" => in_value = false,
                "row" => budget.separate("\n")?,
                _ => {}
            },
            Event::Eof => return Ok(()),
            other if in_value => {
                if let Some(value) = xml::text(&other)? {
                    push_cell(&value, shared_cell.then_some(shared), budget)?;
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// A cell's value, or with `shared`, the shared string its value indexes.
fn push_cell(value: &str, shared: Option<&[String]>, budget: &mut Budget) -> Result<(), Stop> {
    match shared {
        None => budget.push(value),
        Some(strings) => {
            let index = value.trim().parse::<usize>().ok();
            budget.push(
                index
                    .and_then(|i| strings.get(i))
                    .map_or("", String::as_str),
            )
        }
    }
}
