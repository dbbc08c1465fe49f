"""Development email: each message as a file pair in EMAIL_FILE_PATH, `.eml` and a readable `.txt`.

`make run` selects it (config/settings_dev.py); tests keep Django's locmem backend. Django's own
file backend writes every message of a connection into one file with encoded headers
("=?utf-8?b?...?=") and base64 bodies, which nobody can read; here the `.txt` has the headers
decoded, the plain-text body as a person reads it (Arabic and Lithuanian as such), any calendar
part, and the names of attachments. The `.eml` opens in a mail program.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import os
import re
from datetime import datetime
from email.message import EmailMessage as ParsedMessage
from pathlib import Path
from typing import Any

from django.core.mail.backends.filebased import EmailBackend

_counter = itertools.count(1)
_HEADERS = ("Subject", "From", "To", "Cc", "Reply-To", "Date")


def readable(raw: bytes) -> str:
    """The message as a person reads it: decoded headers, then each text part, then attachment names."""
    message: Any = email.message_from_bytes(raw, policy=email.policy.default)
    # Decoded and unfolded: an encoded subject reads as one line of plain text.
    lines = [f"{name}: {' '.join(str(message[name]).split())}" for name in _HEADERS if message[name] is not None]
    lines.append("")
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        filename = part.get_filename()
        if filename:
            lines.append(f"[attachment: {filename} ({kind})]")
        elif kind == "text/plain":
            lines.append(_text(part))
        elif kind == "text/calendar":
            lines += ["", "[calendar part, text/calendar]", _text(part)]
        elif kind == "text/html":
            lines.append("[an HTML version is in the .eml file]")
        else:
            lines.append(f"[{kind} part]")
    return "\n".join(lines).rstrip() + "\n"


def _text(part: ParsedMessage) -> str:
    try:
        return str(part.get_content()).replace("\r\n", "\n").rstrip()
    except (LookupError, UnicodeDecodeError):
        return "[undecodable text part]"


def _stem(recipient: str) -> str:
    # Sortable by time; the process id and a counter keep two workers' files apart.
    when = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    who = re.sub(r"[^A-Za-z0-9@._-]+", "_", recipient)[:60] or "unknown"
    return f"{when}-{os.getpid()}-{next(_counter)}-{who}"


class ReadableFileBackend(EmailBackend):
    """Writes `<time>-<recipient>.eml` and `.txt` per message into EMAIL_FILE_PATH (made if missing)."""

    def send_messages(self, email_messages: Any) -> int:
        folder = Path(self.file_path)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            raw = message.message().as_bytes(linesep="\n")
            stem = _stem(message.recipients()[0])
            (folder / f"{stem}.eml").write_bytes(raw)
            (folder / f"{stem}.txt").write_text(readable(raw), encoding="utf-8")
            sent += 1
        return sent
