//! The benchmark's receiving clients: a WebSocket handshake, then frames counted straight off
//! the TCP socket. The clients share the machine's two cores with the server under test, so
//! every cycle they spend is taken from it; this reader looks only at each frame's header and
//! the first bytes of its payload (server frames are unmasked), instead of running a full
//! WebSocket client that validates and copies every message.

use anyhow::{bail, Result};
use nix::errno::Errno;
use nix::sys::socket::{
    recvmsg, setsockopt, sockopt::ReceiveTimestampns, ControlMessageOwned, MsgFlags,
};
use nix::sys::time::TimeSpec;
use std::io::{self, IoSliceMut, Write};
use std::os::fd::AsRawFd;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::{now_ns, Counters};

/// Opens a WebSocket to `ws_url` (`ws://host:port/path`) as the holder of `token`. Returns the
/// socket and whatever the server sent after its handshake response.
pub async fn connect(ws_url: &str, token: &str) -> Result<(TcpStream, Vec<u8>)> {
    let rest = ws_url.trim_start_matches("ws://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut tcp = TcpStream::connect(host).await?;
    let request = format!(
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
         Authorization: Bearer {token}\r\n\r\n"
    );
    tcp.write_all(request.as_bytes()).await?;
    let mut buf = Vec::with_capacity(1024);
    loop {
        if tcp.read_buf(&mut buf).await? == 0 {
            bail!("the server closed the socket during the handshake");
        }
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            if !buf.starts_with(b"HTTP/1.1 101") {
                bail!(
                    "handshake refused: {}",
                    String::from_utf8_lossy(&buf[..end])
                );
            }
            buf.drain(..end + 4);
            return Ok((tcp, buf));
        }
    }
}

/// What the receiving clients do with arriving frames; the benchmark switches them all at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read and count every frame as it arrives, on the same cores as the server.
    Live,
    /// Leave frames in the kernel's socket buffers, where they are timestamped on arrival
    /// (`SO_TIMESTAMPNS`), so the clients take no CPU from the server while it delivers.
    Hold,
    /// Read what is held and count it by its arrival time; the number tells rounds apart.
    Drain(u64),
}

/// Keeps one client's socket until the benchmark closes it (by aborting the task); counts
/// `hello`s and `posted` events (and the baseline server's messages) and answers pings so the
/// server keeps the connection. Outside `Mode::Live` the socket is taken out of the runtime's
/// epoll set, so arriving frames wake nothing on the client side.
pub async fn run(
    tcp: TcpStream,
    mut buf: Vec<u8>,
    counters: Arc<Counters>,
    mut mode: watch::Receiver<Mode>,
) {
    let _ = serve(tcp, &mut buf, &counters, &mut mode).await;
}

async fn serve(
    tcp: TcpStream,
    buf: &mut Vec<u8>,
    counters: &Counters,
    mode: &mut watch::Receiver<Mode>,
) -> io::Result<()> {
    setsockopt(&tcp, ReceiveTimestampns, &true)?;
    let mut socket = tcp.into_std()?;
    (&socket).write_all(&handle_frames(buf, counters, None))?;
    loop {
        let current = *mode.borrow_and_update();
        match current {
            Mode::Live => {
                let mut tcp = TcpStream::from_std(socket)?;
                let read = read_live(&mut tcp, buf, counters, mode).await;
                socket = tcp.into_std()?;
                read?;
                continue; // read_live returned because the mode changed
            }
            Mode::Hold => {}
            Mode::Drain(_) => drain(&socket, buf, counters)?,
        }
        if mode.changed().await.is_err() {
            return Ok(());
        }
    }
}

/// Reads and counts frames as they arrive until the mode changes.
async fn read_live(
    tcp: &mut TcpStream,
    buf: &mut Vec<u8>,
    counters: &Counters,
    mode: &mut watch::Receiver<Mode>,
) -> io::Result<()> {
    while !mode.has_changed().unwrap_or(true) {
        tokio::select! {
            read = tcp.read_buf(buf) => {
                if read? == 0 {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                tcp.write_all(&handle_frames(buf, counters, None)).await?;
            }
            _ = mode.changed() => return Ok(()),
        }
    }
    Ok(())
}

/// Reads everything the kernel holds for this socket, each read with its arrival time.
fn drain(socket: &std::net::TcpStream, buf: &mut Vec<u8>, counters: &Counters) -> io::Result<()> {
    let mut chunk = vec![0u8; 16 * 1024];
    let mut control = nix::cmsg_space!(TimeSpec);
    loop {
        let mut iov = [IoSliceMut::new(&mut chunk)];
        let flags = MsgFlags::MSG_DONTWAIT;
        let (bytes, arrived) =
            match recvmsg::<()>(socket.as_raw_fd(), &mut iov, Some(&mut control), flags) {
                Ok(msg) => (msg.bytes, msg.cmsgs()?.find_map(arrival_ns)),
                Err(Errno::EAGAIN) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
        if bytes == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..bytes]);
        let pongs = handle_frames(buf, counters, arrived);
        let mut socket = socket;
        socket.write_all(&pongs)?;
    }
}

fn arrival_ns(message: ControlMessageOwned) -> Option<u64> {
    match message {
        ControlMessageOwned::ScmTimestampns(t) => Some(
            u64::try_from(t.tv_sec()).ok()? * 1_000_000_000 + u64::try_from(t.tv_nsec()).ok()?,
        ),
        _ => None,
    }
}

/// Counts the complete frames at the start of `buf` and removes them; `arrived` is their
/// kernel arrival time when they were held, None when read live. Returns the pongs to send.
fn handle_frames(buf: &mut Vec<u8>, counters: &Counters, arrived: Option<u64>) -> Vec<u8> {
    let mut pongs = Vec::new();
    let mut used = 0;
    while let Some((header, len)) = frame_header(&buf[used..]) {
        let start = used + header;
        if buf.len() < start + len {
            break;
        }
        let payload = &buf[start..start + len];
        match buf[used] & 0x0f {
            0x1 => count(payload, counters, arrived),
            0x9 => pong(&mut pongs, payload),
            _ => {}
        }
        used = start + len;
    }
    buf.drain(..used);
    pongs
}

/// The header length and payload length of the frame at the start of `buf`, once its header
/// is complete.
fn frame_header(buf: &[u8]) -> Option<(usize, usize)> {
    let short = usize::from(*buf.get(1)? & 0x7f);
    match short {
        126 => Some((
            4,
            usize::from(u16::from_be_bytes([*buf.get(2)?, *buf.get(3)?])),
        )),
        127 => {
            let bytes: [u8; 8] = buf.get(2..10)?.try_into().ok()?;
            Some((10, usize::try_from(u64::from_be_bytes(bytes)).ok()?))
        }
        n => Some((2, n)),
    }
}

/// The frames a fan-out counts: a post, a reaction (a run sends only one kind), or the
/// baseline's message.
const COUNTED: [&[u8]; 4] = [
    b"{\"event\":\"posted\"",
    b"{\"event\":\"reaction_added\"",
    b"{\"event\":\"reaction_removed\"",
    b"baseline:",
];

fn count(payload: &[u8], counters: &Counters, arrived: Option<u64>) {
    if COUNTED.iter().any(|prefix| payload.starts_with(prefix)) {
        counters
            .posted_bytes
            .store(payload.len() as u64, Ordering::Relaxed);
        match arrived {
            Some(at) => {
                counters.first_held.fetch_min(at, Ordering::Relaxed);
                counters.last_held.fetch_max(at, Ordering::Relaxed);
                if at >= counters.since_ns.load(Ordering::Relaxed) {
                    counters.held_after.fetch_add(1, Ordering::Relaxed);
                }
            }
            None => {
                let first = &counters.first_at;
                let _ = first.compare_exchange(0, now_ns(), Ordering::Relaxed, Ordering::Relaxed);
            }
        }
        counters.posted.fetch_add(1, Ordering::Relaxed);
    } else if payload.starts_with(b"{\"event\":\"hello\"") || payload == b"hello" {
        counters.hello.fetch_add(1, Ordering::Relaxed);
    }
}

/// A client's frames must be masked; a zero mask leaves the payload as it is. Control
/// frames never carry more than 125 bytes.
fn pong(out: &mut Vec<u8>, payload: &[u8]) {
    let len = payload.len().min(125);
    out.extend_from_slice(&[0x8a, 0x80 | len as u8, 0, 0, 0, 0]);
    out.extend_from_slice(&payload[..len]);
}

#[cfg(test)]
mod tests {
    use super::frame_header;

    #[test]
    fn header_lengths() {
        assert_eq!(frame_header(&[0x81, 5]), Some((2, 5)));
        assert_eq!(frame_header(&[0x81, 126, 0x03, 0xf5]), Some((4, 1013)));
        assert_eq!(
            frame_header(&[0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]),
            Some((10, 65536))
        );
        assert_eq!(frame_header(&[0x81, 126, 0x03]), None);
        assert_eq!(frame_header(&[0x81]), None);
    }
}
