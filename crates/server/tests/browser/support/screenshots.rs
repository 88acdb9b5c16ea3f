//! Where page screenshots go: `docs/screenshots/` (tracked, shown in the README) when
//! `MEMBERDESK_SCREENSHOTS=1`, otherwise the test binary's own directory under the target
//! directory, so an ordinary run (and CI) never modifies tracked files.

use std::path::PathBuf;

pub fn dir() -> PathBuf {
    if std::env::var("MEMBERDESK_SCREENSHOTS").is_ok_and(|v| v == "1") {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
    } else {
        super::server::work_dir().join("screenshots")
    }
}

pub fn save(name: &str, png: &[u8]) {
    let dir = dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}
