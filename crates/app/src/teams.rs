//! teams.
