//! A real SMTP server for the notification tests: `crates/testkit/smtp_sink.py` (aiosmtpd) as a
//! separate process, writing each message it accepts, parsed, as JSON into a directory.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub rcpt_tos: Vec<String>,
    pub message_id: String,
    pub in_reply_to: String,
    pub references: String,
    pub subject: String,
    pub from: String,
    pub to: String,
    pub content_type: String,
    pub auto_submitted: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    fn from_json(value: &Value) -> Mail {
        let s = |key: &str| value[key].as_str().unwrap_or_default().trim().to_owned();
        Mail {
            rcpt_tos: value["rcptTos"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect(),
            message_id: s("messageId"),
            in_reply_to: s("inReplyTo"),
            references: s("references"),
            subject: s("subject"),
            from: s("from"),
            to: s("to"),
            content_type: s("contentType"),
            auto_submitted: s("autoSubmitted"),
            text: value["text"].as_str().unwrap_or_default().to_owned(),
            html: value["html"].as_str().unwrap_or_default().to_owned(),
        }
    }
}

/// The SMTP server process, on a port reserved for it (it may be stopped and started again on
/// the same port, so that a desk configured for it sees it go down and come back).
pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl SmtpSink {
    /// A port for the server, not yet listening.
    pub fn reserve() -> SmtpSink {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        SmtpSink { port, dir: tempfile::tempdir().unwrap(), child: None }
    }

    /// A running server.
    pub fn start() -> SmtpSink {
        let mut sink = SmtpSink::reserve();
        sink.up();
        sink
    }

    /// `smtp://127.0.0.1:<port>`: plain SMTP, as lettre's URL.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn script() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testkit/smtp_sink.py")
    }

    /// Starts the process and waits until it accepts connections.
    pub fn up(&mut self) {
        assert!(self.child.is_none(), "the SMTP sink is already running");
        let mut child = Command::new("python3")
            .arg(Self::script())
            .args(["--port", &self.port.to_string(), "--dir"])
            .arg(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs (scripts/ensure-smtp-sink installs aiosmtpd)");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        assert!(
            line.starts_with("ready"),
            "the SMTP sink did not start (is aiosmtpd installed? run scripts/ensure-smtp-sink): {line:?}"
        );
        self.child = Some(child);
    }

    /// Stops the process (SIGKILL; it keeps no state but the files already written).
    pub fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, oldest first. The server writes a message's file before
    /// it accepts it, so a message the desk was told was sent is here.
    pub fn messages(&self) -> Vec<Mail> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        paths.iter().map(|p| Mail::from_json(&serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.down();
    }
}
