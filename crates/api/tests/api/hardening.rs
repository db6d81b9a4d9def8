//! The hardening tests (issue 9): each defect found by attacking the server as an outsider
//! would, shown fixed. A module per area; `cargo test -p utmost-api --test api hardening::`
//! runs them all.

mod auth;
mod http;
mod input;
mod websocket;
