//! The listening socket.

use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpSocket};

/// Connections the kernel completes and queues before the server accepts them. Tokio's
/// default is 1024; when thousands of clients reconnect at once (after a restart) a full
/// queue drops their SYNs and each retries a second later. The kernel caps it at
/// `net.core.somaxconn` (4096 on current kernels).
const BACKLOG: u32 = 4096;

/// Binds `addr` (with `SO_REUSEADDR`, as `TcpListener::bind` does) and listens.
pub fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// 1,500 clients connect while the server accepts none: with tokio's default backlog
    /// the last few hundred would wait a second for their SYN to be retried.
    #[tokio::test]
    async fn a_reconnect_storm_fits_in_the_backlog() {
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let connects: Vec<_> = (0..1500)
            .map(|_| {
                tokio::spawn(async move {
                    let connect = tokio::net::TcpStream::connect(addr);
                    tokio::time::timeout(Duration::from_millis(700), connect).await
                })
            })
            .collect();
        let mut connected = Vec::new();
        for c in connects {
            if let Ok(Ok(stream)) = c.await.unwrap() {
                connected.push(stream);
            }
        }
        assert_eq!(connected.len(), 1500);
        drop(listener);
    }
}
