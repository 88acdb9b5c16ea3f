#!/usr/bin/env python3
"""A real SMTP server for memberdesk's tests (aiosmtpd): accepts every message and writes it,
parsed, to a directory as one JSON file per message.

    python3 crates/testkit/smtp_sink.py --port 2525 --dir /tmp/mails

Prints `ready <port>` on stdout once it accepts connections; runs until SIGTERM/SIGINT.
Each file holds the envelope (mailFrom, rcptTos), the decoded headers the tests check
(messageId, inReplyTo, references, subject, from, to), the content type, the text and HTML
parts (decoded, line ends as \\n), and the raw message. Files are written to a temporary name and renamed, so a
reader never sees half a message. Needs `python3 -m pip install aiosmtpd`.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text = html = None
        for part in message.walk():
            if part.get_content_type() == "text/plain" and text is None:
                text = part.get_content().replace("\r\n", "\n")
            elif part.get_content_type() == "text/html" and html is None:
                html = part.get_content().replace("\r\n", "\n")
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": list(envelope.rcpt_tos),
            "messageId": message.get("Message-ID"),
            "inReplyTo": message.get("In-Reply-To"),
            "references": message.get("References"),
            "subject": str(message.get("Subject", "")),
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "autoSubmitted": message.get("Auto-Submitted"),
            "contentType": message.get_content_type(),
            "text": text,
            "html": html,
            "raw": raw.decode("utf-8", "replace"),
        }
        with self.lock:
            self.count += 1
            name = f"{time.time_ns()}-{self.count:06d}"
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.directory, name + ".json"))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"ready {args.port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
