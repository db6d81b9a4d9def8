//! Request bodies: read within `ReadTimeout` of the request head, and what a handler left
//! unread is read (up to the payload limit) before the answer goes out.
//!
//! hyper keeps a connection alive after an answer only if the request body was read to its
//! end or its rest was already buffered; otherwise it closes the connection, and a client
//! still sending the body may see the close before the answer. An early answer (401 before
//! the body is looked at, 429, 404) then drops the client's keep-alive connection at random.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::{Instant, Sleep};

#[derive(Clone, Copy)]
pub struct BodyLimits {
    /// `ReadTimeout`: from the request head until the whole body is in.
    pub read_timeout: Duration,
    /// The most left-over body read to keep the connection; a larger rest closes it.
    pub drain_budget: usize,
}

/// The middleware: gives the handler a body with a deadline, then reads what it left.
pub async fn guard(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    let deadline = Instant::now() + limits.read_timeout;
    let (unread_tx, mut unread_rx) = oneshot::channel();
    let req = req.map(|inner| {
        Body::new(DeadlineBody {
            inner: Some(inner),
            deadline,
            timer: None,
            unread: Some(unread_tx),
        })
    });
    let mut response = next.run(req).await;
    if let Ok(rest) = unread_rx.try_recv() {
        if !drain(rest, limits.drain_budget, deadline).await {
            // Say so rather than let the client find out by a reset on its next request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
    }
    response
}

/// Reads and discards `body`; false when it is larger than `budget`, fails or is late.
async fn drain(mut body: Body, budget: usize, deadline: Instant) -> bool {
    // A declared length over the budget is not worth reading.
    if body.size_hint().lower() > u64::try_from(budget).unwrap_or(u64::MAX) {
        return false;
    }
    let read_all = async {
        let mut left = budget;
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else { return false };
            if let Some(data) = frame.data_ref() {
                let Some(rest) = left.checked_sub(data.len()) else {
                    return false;
                };
                left = rest;
            }
        }
        true
    };
    tokio::time::timeout_at(deadline, read_all)
        .await
        .unwrap_or(false)
}

/// The request body as handlers see it: fails once the deadline passes, and when dropped
/// before its end hands the rest back to `guard` through `unread`.
struct DeadlineBody {
    inner: Option<Body>,
    deadline: Instant,
    /// Started the first time the client makes the server wait.
    timer: Option<Pin<Box<Sleep>>>,
    unread: Option<oneshot::Sender<Body>>,
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        if let Poll::Ready(frame) = Pin::new(inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        let deadline = this.deadline;
        let timer = this
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(axum::Error::new(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive within ServiceSettings.ReadTimeout",
            ))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl Drop for DeadlineBody {
    fn drop(&mut self) {
        if let (Some(rest), Some(unread)) = (self.inner.take(), self.unread.take()) {
            if !rest.is_end_stream() {
                // `guard` has already answered when nobody listens; hyper closes then.
                let _ = unread.send(rest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later(secs: u64) -> Instant {
        Instant::now() + Duration::from_secs(secs)
    }

    #[tokio::test]
    async fn a_body_within_the_budget_is_drained() {
        assert!(drain(Body::from(vec![0u8; 1000]), 1000, later(5)).await);
        assert!(!drain(Body::from(vec![0u8; 1001]), 1000, later(5)).await);
    }

    #[tokio::test]
    async fn a_stalled_body_fails_at_the_deadline() {
        let stalled = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
        let deadline = Instant::now() + Duration::from_millis(200);
        let body = DeadlineBody {
            inner: Some(Body::from_stream(stalled)),
            deadline,
            timer: None,
            unread: None,
        };
        let error = body.collect().await.err().map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("ReadTimeout")));
        assert!(Instant::now() >= deadline);
    }

    #[tokio::test]
    async fn an_unread_body_comes_back_and_a_read_one_does_not() {
        let (tx, mut rx) = oneshot::channel();
        drop(DeadlineBody {
            inner: Some(Body::from("unread")),
            deadline: later(5),
            timer: None,
            unread: Some(tx),
        });
        let rest = rx.try_recv().unwrap();
        assert_eq!(rest.collect().await.unwrap().to_bytes(), "unread");

        let (tx, mut rx) = oneshot::channel();
        let body = DeadlineBody {
            inner: Some(Body::from("read")),
            deadline: later(5),
            timer: None,
            unread: Some(tx),
        };
        let mut body = Body::new(body);
        while body.frame().await.is_some() {}
        drop(body);
        assert!(rx.try_recv().is_err());
    }
}
