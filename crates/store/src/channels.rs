//! channels store.
