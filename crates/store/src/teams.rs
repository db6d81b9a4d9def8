//! teams store.
