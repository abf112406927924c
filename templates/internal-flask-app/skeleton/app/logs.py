"""Structured logs: one JSON object per line on stdout, which Cloud Logging parses
(severity, message and the other fields become the entry's jsonPayload)."""

from __future__ import annotations

import json
import sys
import time


def log(severity: str, message: str, **fields: object) -> None:
    entry = {"severity": severity, "message": message, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    entry.update(fields)
    sys.stdout.write(json.dumps(entry, default=str) + "\n")
    sys.stdout.flush()
