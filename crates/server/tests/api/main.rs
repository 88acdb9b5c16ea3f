//! End-to-end tests: the real composition root on a random port, driven over HTTP, on both
//! store backends. One test binary, so it links once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_matrix;
mod ai_settings;
mod ai_stand_in;
mod assignment;
mod attachments;
mod canned;
mod catalog_access;
mod categories;
mod cli;
mod conversation;
mod drafts;
mod errors;
mod knowledge_base;
mod notifications;
mod queue;
mod sla;
mod smtp_sink;
mod summaries;
mod summary_refresh;
mod support;
mod versions;
mod web;
