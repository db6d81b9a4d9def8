//! A client's TCP stream as the server holds it: it keeps the connection's slot for as long
//! as the socket is open (through a WebSocket upgrade too), and fails a write that makes no
//! progress for too long, so a client that stops reading cannot pin a connection forever.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Sleep;

pub struct ClientStream {
    tcp: TcpStream,
    write_stall: Duration,
    /// Running while the socket refuses writes; reset by any progress.
    stalled_since: Option<Pin<Box<Sleep>>>,
    _slot: OwnedSemaphorePermit,
}

impl ClientStream {
    pub fn new(tcp: TcpStream, write_stall: Duration, slot: OwnedSemaphorePermit) -> Self {
        Self {
            tcp,
            write_stall,
            stalled_since: None,
            _slot: slot,
        }
    }

    /// Passes a finished write on; a pending one fails once it has waited `write_stall`.
    fn watch_write<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled_since = None;
            return poll;
        }
        let write_stall = self.write_stall;
        let timer = self
            .stalled_since
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(write_stall)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for ClientStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for ClientStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.tcp).poll_write(cx, buf);
        self.watch_write(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs);
        self.watch_write(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.tcp).poll_flush(cx);
        self.watch_write(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.tcp).poll_shutdown(cx);
        self.watch_write(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tokio::io::AsyncWriteExt;
    use tokio::net::TcpListener;
    use tokio::sync::Semaphore;

    #[tokio::test]
    async fn a_client_that_stops_reading_fails_the_write_after_the_stall_bound() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (tcp, _) = listener.accept().await.unwrap();
        let slot = Arc::new(Semaphore::new(1)).acquire_owned().await.unwrap();
        let stall = Duration::from_millis(300);
        let mut stream = ClientStream::new(tcp, stall, slot);
        let chunk = vec![0u8; 64 * 1024];
        let mut written = 0usize;
        // Fills the socket buffers (a few MB on loopback) until a write waits, then fails.
        let error = loop {
            match tokio::time::timeout(Duration::from_secs(10), stream.write_all(&chunk)).await {
                Ok(Ok(())) => written += chunk.len(),
                Ok(Err(e)) => break e,
                Err(_) => panic!("a stalled write was not given up"),
            }
            assert!(
                written < 256 * 1024 * 1024,
                "the client's buffers never filled"
            );
        };
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        drop(client);
    }
}
