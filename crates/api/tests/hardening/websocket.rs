//! Hardening tests: websocket.
