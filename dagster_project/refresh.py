"""What triggers a refresh: the annual date, and a release dropped into
``data/raw`` (detected by checksum, so touching a file is not a change)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

REFRESH_DATE_ENV_VAR = "KLASTER_REFRESH_DATE"
# Regional accounts of the Bureau of National Statistics appear in spring; the
# date is a setting so a ministry can align it with its own release calendar.
DEFAULT_REFRESH_DATE = "04-15"


def refresh_cron(date: str | None = None) -> str:
    """``MM-DD`` (default from ``$KLASTER_REFRESH_DATE``) -> cron at 06:00 that day."""
    date = date or os.environ.get(REFRESH_DATE_ENV_VAR) or DEFAULT_REFRESH_DATE
    try:
        month, day = (int(part) for part in date.split("-"))
    except ValueError as exc:
        raise ValueError(f"{REFRESH_DATE_ENV_VAR} must be MM-DD, got {date!r}") from exc
    if not (1 <= month <= 12 and 1 <= day <= 28):
        raise ValueError(f"{REFRESH_DATE_ENV_VAR} must be a valid MM-DD with day <= 28, got {date!r}")
    return f"0 6 {day} {month} *"


def raw_fingerprint(raw_dir: Path) -> dict[str, str]:
    """sha256 of every file under the raw folder, by relative path."""
    return {
        str(path.relative_to(raw_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(raw_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def changed_files(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Files added, changed or removed since ``previous``."""
    keys = set(previous) | set(current)
    return sorted(k for k in keys if previous.get(k) != current.get(k))


def fingerprint_digest(fingerprint: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()
