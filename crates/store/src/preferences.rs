//! preferences store.
