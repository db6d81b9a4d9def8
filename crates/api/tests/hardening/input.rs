//! Hardening tests: input.
