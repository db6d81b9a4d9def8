//! posts.
