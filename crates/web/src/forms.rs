//! Shared form helpers.
