//! Child processes that cannot outlive the test binary.
//!
//! Each command runs under a small `sh` watchdog in a process group of its own. The watchdog
//! holds the read end of a pipe whose write end only this process has: when the guard is
//! dropped (a test passed or panicked), or when the whole test binary exits or is killed, the
//! pipe closes and the watchdog ends the group, with the browsers chromedriver started in it.
//! Statics are never dropped, so the shared server relies on the second case.

use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStderr, Command, Stdio};

/// Starts the command's program in the background, waits for end-of-file on stdin, then asks
/// the group to stop (SIGTERM: Chromium and the desk shut down cleanly) and, two seconds later,
/// kills whatever is left. The watchdog ignores the SIGTERM it sends itself.
const WATCHDOG: &str = r#""$@" & child=$!
trap '' TERM
read -r _ || true
kill -TERM 0 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  kill -0 "$child" 2>/dev/null || break
  sleep 0.1
done
kill -KILL 0"#;

pub struct Guarded {
    child: Child,
    what: String,
}

impl Guarded {
    /// Spawns `program args…` with `envs`; its stderr is piped (see [`Guarded::stderr`]). No
    /// `MEMBERDESK_*` setting of the environment the tests run in reaches it: only `envs`.
    pub fn spawn(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Guarded {
        let mut command = Command::new("sh");
        command.arg("-c").arg(WATCHDOG).arg("sh").arg(program).args(args);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("MEMBERDESK_") {
                command.env_remove(name);
            }
        }
        command.envs(envs.iter().copied());
        command.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).process_group(0);
        let child = command.spawn().unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        Guarded { child, what: program.to_owned() }
    }

    /// The program's stderr, once.
    pub fn stderr(&mut self) -> ChildStderr {
        self.child.stderr.take().unwrap_or_else(|| panic!("stderr of {} taken twice", self.what))
    }

    /// Whether the program has already ended (e.g. it could not start).
    pub fn exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // Closing stdin is the signal; waiting reaps the watchdog once the group is gone.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
