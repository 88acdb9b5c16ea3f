//! Browser tests: the real `memberdesk demo` binary, driven through headless Chromium over
//! WebDriver (Debian's chromium and chromium-driver, installed by `scripts/ensure-browser`), the
//! way members, agents and admins use the web UI. One server per test binary, shared; one
//! browser per test, so each test has its own session. See `docs/ui.md`, "Browser tests".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod agent;
mod ai;
mod harness;
mod member;
mod sign_in;
mod support;
