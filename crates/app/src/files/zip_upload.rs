//! A zip written to the file store while it is made. Entries go through `zip`'s streaming
//! writer (no seeking: each entry's sizes follow its data) on a blocking thread, and what
//! each step produced goes up at once through `FileStore::write_stream`, so memory is
//! bounded by one step's output whatever the zip's size. The file appears when `finish`
//! succeeds, and not at all if the zip is dropped unfinished.

use super::storage::{FileStore, WriteError};
use bytes::Bytes;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use zip::write::StreamWriter;
use zip::ZipWriter;

/// The zip as the steps see it.
pub type Zip = ZipWriter<StreamWriter<Spill>>;

/// Where the zip writer's output waits until its step returns and it is sent up.
#[derive(Clone, Default)]
pub struct Spill(Arc<Mutex<Vec<u8>>>);

impl Spill {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut spilled = self.0.lock().unwrap_or_else(|e| e.into_inner());
        spilled.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

enum Piece {
    Bytes(Bytes),
    /// The zip is complete: the upload may finish.
    End,
}

pub struct ZipUpload {
    zip: Option<Zip>,
    spill: Spill,
    pieces: mpsc::Sender<Piece>,
    upload: JoinHandle<Result<u64, WriteError<io::Error>>>,
}

impl ZipUpload {
    /// Starts writing a zip at `path`.
    pub fn start(store: &FileStore, path: &str) -> Self {
        let spill = Spill::default();
        // Two pieces in flight at most, as `write_stream` holds two parts.
        let (pieces, received) = mpsc::channel(2);
        let input = futures_util::stream::unfold(received, |mut received| async move {
            match received.recv().await {
                Some(Piece::Bytes(bytes)) => Some((Ok(bytes), received)),
                Some(Piece::End) => None,
                // Dropped unfinished: an error, so nothing is stored.
                None => Some((Err(io::Error::other("zip abandoned")), received)),
            }
        });
        let (store, path) = (store.clone(), path.to_string());
        let upload =
            tokio::spawn(async move { store.write_stream(&path, Box::pin(input), u64::MAX).await });
        Self {
            zip: Some(ZipWriter::new_stream(spill.clone())),
            spill,
            pieces,
            upload,
        }
    }

    /// Runs `step` on the zip on a blocking thread (compressing is CPU work), then sends up
    /// what it wrote.
    pub async fn write<T: Send + 'static>(
        &mut self,
        step: impl FnOnce(&mut Zip) -> io::Result<T> + Send + 'static,
    ) -> io::Result<T> {
        let mut zip = self
            .zip
            .take()
            .ok_or_else(|| io::Error::other("zip failed"))?;
        let (zip, outcome) = tokio::task::spawn_blocking(move || {
            let outcome = step(&mut zip);
            (zip, outcome)
        })
        .await
        .map_err(io::Error::other)?;
        let out = outcome?;
        self.zip = Some(zip);
        self.send_spilled().await?;
        Ok(out)
    }

    /// Writes the zip's directory and waits until the file is stored; its size.
    pub async fn finish(mut self) -> io::Result<u64> {
        let zip = self
            .zip
            .take()
            .ok_or_else(|| io::Error::other("zip failed"))?;
        tokio::task::spawn_blocking(move || zip.finish())
            .await
            .map_err(io::Error::other)?
            .map_err(io::Error::other)?;
        self.send_spilled().await?;
        self.send(Piece::End).await?;
        match (&mut self.upload).await.map_err(io::Error::other)? {
            Ok(size) => Ok(size),
            Err(WriteError::Input(e)) => Err(e),
            Err(WriteError::Storage(e)) => Err(io::Error::other(e)),
            Err(WriteError::TooLarge) => Err(io::ErrorKind::FileTooLarge.into()),
        }
    }

    async fn send_spilled(&mut self) -> io::Result<()> {
        let spilled = self.spill.take();
        if spilled.is_empty() {
            return Ok(());
        }
        self.send(Piece::Bytes(spilled.into())).await
    }

    async fn send(&mut self, piece: Piece) -> io::Result<()> {
        if self.pieces.send(piece).await.is_ok() {
            return Ok(());
        }
        // The upload stopped: its own error says why.
        match (&mut self.upload).await.map_err(io::Error::other)? {
            Err(WriteError::Storage(e)) => Err(io::Error::other(e)),
            _ => Err(io::Error::other("the upload stopped")),
        }
    }
}

/// Deflated entries, in zip64 form when `large` (an entry may pass 4 GiB).
pub fn deflated(large: bool) -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(large)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[tokio::test]
    async fn a_zip_lands_whole_and_an_abandoned_one_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("utmost-zip-{}", utmost_model::new_id()));
        let settings = utmost_config::FileSettings {
            directory: dir.display().to_string(),
            ..Default::default()
        };
        let store = FileStore::from_settings(&settings).unwrap();
        let mut zip = ZipUpload::start(&store, "out/whole.zip");
        zip.write(|z| {
            z.start_file("a.csv", deflated(true))
                .map_err(io::Error::other)
        })
        .await
        .unwrap();
        for i in 0..50 {
            zip.write(move |z| writeln!(z, "line {i}")).await.unwrap();
        }
        zip.finish().await.unwrap();
        let bytes = store.read("out/whole.zip").await.unwrap();
        let mut archive = zip::ZipArchive::new(io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name("a.csv")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text.lines().count(), 50);
        assert_eq!(text.lines().last(), Some("line 49"));

        let mut dropped = ZipUpload::start(&store, "out/dropped.zip");
        dropped
            .write(|z| {
                z.start_file("a.csv", deflated(false))
                    .map_err(io::Error::other)
            })
            .await
            .unwrap();
        drop(dropped);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(store.read("out/dropped.zip").await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
