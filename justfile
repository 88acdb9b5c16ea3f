# memberdesk tasks. Every recipe has a plain command beside it in the README.

# A working desk on the embedded SQLite default, with demo data.
run:
    cargo run --bin memberdesk -- demo

# Serve with the configuration in MEMBERDESK_* variables.
serve:
    cargo run --release --bin memberdesk -- serve

# Every suite, both store backends included (sets up PostgreSQL if needed).
test *ARGS:
    scripts/test {{ARGS}}

lint:
    cargo clippy --workspace --all-targets -- -D warnings

fmt:
    cargo fmt --all
