//! posts store.
