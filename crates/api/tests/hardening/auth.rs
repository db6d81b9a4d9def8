//! Hardening tests: auth.
