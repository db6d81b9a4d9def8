//! The hardening tests (issue 9): each defect found by attacking the server as an outsider
//! would, shown fixed. One test binary with a module per area, so CI links the server once.

// Test helpers outside #[test] functions fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod http;
mod input;
mod websocket;
