//! Hardening tests: http.
