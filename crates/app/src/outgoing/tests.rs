//! The client against a real local listener, with the DNS answers a test chooses (the
//! rebinding case: a name that answers a public address to one query and loopback to the
//! next).

use super::*;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers each lookup of any name with the next address of its list (the last repeats).
struct Answers {
    ips: Vec<IpAddr>,
    asked: AtomicUsize,
}

impl Lookup for Answers {
    fn lookup(&self, _host: &str) -> LookupFuture {
        let at = self.asked.fetch_add(1, Ordering::SeqCst);
        let ip = self.ips[at.min(self.ips.len() - 1)];
        Box::pin(async move { Ok(vec![ip]) })
    }
}

fn outgoing(ips: &[&str]) -> Outgoing {
    let ips = ips
        .iter()
        .map(|ip| ip.parse().unwrap_or_else(|_| panic!("{ip}")))
        .collect();
    Outgoing::new(Arc::new(Answers {
        ips,
        asked: AtomicUsize::new(0),
    }))
}

/// A listener on 127.0.0.1 that answers every connection with one small page and counts
/// the connections.
async fn listener() -> (u16, Arc<AtomicUsize>) {
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = socket.local_addr().map(|a| a.port()).unwrap_or(0);
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = socket.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                .await;
        }
    });
    (port, connections)
}

fn request(url: &str) -> Request<'_> {
    Request {
        url,
        accept: "*/*",
        timeout: Duration::from_secs(5),
        may_follow: &|_| true,
    }
}

#[tokio::test]
async fn a_name_that_resolves_to_loopback_is_refused_without_connecting() {
    let (port, connections) = listener().await;
    let url = format!("http://rebind.test:{port}/");
    let client = outgoing(&["127.0.0.1"]);
    let refused = client.open("", &request(&url)).await;
    assert!(
        matches!(refused, Err(FetchError::Refused(_))),
        "{:?}",
        refused.err()
    );
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_connection_goes_to_the_checked_answer_not_a_later_one() {
    let (port, connections) = listener().await;
    let url = format!("http://rebind.test:{port}/");
    // Allowed through its range, the first answer is used; the next query would say
    // 10.9.9.9, but no second query decides where this connection goes.
    let client = outgoing(&["127.0.0.1", "10.9.9.9"]);
    let opened = client.open("127.0.0.0/8", &request(&url)).await;
    let body = match opened {
        Ok(opened) => opened.read_capped(16).await.ok(),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(body.as_deref(), Some(&b"ok"[..]));
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    // Answers that change to an internal address are refused on the next connection.
    let again = client.open("", &request(&url)).await;
    assert!(
        matches!(again, Err(FetchError::Refused(_))),
        "{:?}",
        again.err()
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn only_http_and_https_and_bodies_are_capped() {
    let client = outgoing(&["127.0.0.1"]);
    for url in [
        "file:///etc/passwd",
        "ftp://example.com/",
        "gopher://x/",
        "not a url",
    ] {
        assert!(
            matches!(
                client.open("", &request(url)).await,
                Err(FetchError::BadUrl)
            ),
            "{url}"
        );
    }
    let (port, _) = listener().await;
    let url = format!("http://127.0.0.1:{port}/");
    let opened = client.open("127.0.0.1", &request(&url)).await;
    let capped = match opened {
        Ok(opened) => opened.read_capped(1).await,
        Err(e) => panic!("{e}"),
    };
    assert!(matches!(capped, Err(FetchError::TooLarge(1))));
}
