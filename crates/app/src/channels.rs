//! channels.
