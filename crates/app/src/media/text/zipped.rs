//! Reading a ZIP (and so the Office and OpenDocument formats) within bounds: the number of
//! entries, and the bytes inflated across the whole document whatever the entries' headers
//! claim, so a zip bomb stops within `INFLATED_LIMIT` bytes of work.

use super::{Budget, Stop, INFLATED_LIMIT};
use std::borrow::Cow;
use std::io::{BufReader, Cursor, Read};
use zip::ZipArchive;

/// More entries than any document has; a central directory beyond it is refused unread.
const MAX_ENTRIES: usize = 10_000;

pub(super) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    inflated_left: u64,
}

impl<'a> Archive<'a> {
    pub(super) fn open(bytes: &'a [u8]) -> Result<Self, Stop> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(Stop::unreadable)?;
        if zip.len() > MAX_ENTRIES {
            return Err(Stop::TooBig);
        }
        Ok(Self {
            zip,
            inflated_left: INFLATED_LIMIT,
        })
    }

    /// The names of the file entries, in the archive's order (names that are not UTF-8
    /// are left out).
    pub(super) fn file_names(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.zip
            .file_names()
            .filter_map(Result::ok)
            .filter(|name| !name.ends_with('/'))
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Runs `read` over the inflated entry `name`. Inflating past what is left of the
    /// document's bound fails the read with `Stop::TooBig`.
    pub(super) fn read<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(&mut dyn std::io::BufRead) -> Result<T, Stop>,
    ) -> Result<T, Stop> {
        let entry = self.zip.by_name(name).map_err(Stop::unreadable)?;
        let mut capped = BufReader::new(Capped {
            inner: entry,
            left: &mut self.inflated_left,
            exceeded: false,
        });
        let result = read(&mut capped);
        if capped.get_ref().exceeded {
            return Err(Stop::TooBig);
        }
        result
    }
}

/// A reader that fails once more than `left` bytes have come through it.
struct Capped<'l, R> {
    inner: R,
    left: &'l mut u64,
    exceeded: bool,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                *self.left = left;
                Ok(n)
            }
            None => {
                self.exceeded = true;
                Err(std::io::Error::other("inflated past the document's bound"))
            }
        }
    }
}

/// A ZIP's text is its entries' names (Mattermost's `archiveExtractor` without
/// `ArchiveRecursion`).
pub(super) fn names(bytes: &[u8], budget: &mut Budget) -> Result<(), Stop> {
    let archive = Archive::open(bytes)?;
    for name in archive.file_names() {
        budget.separate(" ")?;
        budget.push(&name)?;
    }
    Ok(())
}
