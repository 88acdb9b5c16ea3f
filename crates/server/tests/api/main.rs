//! End-to-end tests: the real composition root on a random port, driven over HTTP, on both
//! store backends. One test binary, so it links once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_matrix;
mod assignment;
mod attachments;
mod canned;
mod catalog_access;
mod categories;
mod cli;
mod conversation;
mod errors;
mod notifications;
mod queue;
mod sla;
mod smtp_sink;
mod summaries;
mod support;
mod versions;
mod web;
