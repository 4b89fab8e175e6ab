"""Every loader's first step: read a raw file's bytes and prove they are the
file the manifest registered, before a single cell is parsed.

A release re-downloaded, re-saved by a spreadsheet or edited by hand keeps its
name but not its sha256; loading it would silently replace published figures
with others. So each loader (text tables, regional releases, workbooks, the
ОКЭД list, boundary shapefiles and their companions) reads through
:func:`read_verified`, and every refusal reads the same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_raw(path: Path, name: str) -> bytes:
    """The file's bytes, unverified; ``name`` is how messages call the file
    (``<dataset>/<file>``)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise RawFileError(name, f"cannot read file: {exc.strerror}") from exc


def read_verified(path: Path, name: str, sha256: str) -> bytes:
    """The file's bytes after checking they are not empty and hash to the
    manifest's ``sha256`` (compared case-insensitively)."""
    data = read_raw(path, name)
    if not data.strip():
        raise RawFileError(name, "file is empty")
    digest = file_sha256(data)
    if digest != str(sha256).lower():
        raise RawFileError(
            name,
            f"sha256 checksum mismatch: manifest says {str(sha256)[:12]}…, file has {digest[:12]}…; "
            "the file changed since it was registered",
        )
    return data


def read_entry(entry: ManifestEntry) -> bytes:
    """The verified bytes of the file a manifest entry describes."""
    return read_verified(entry.path, entry.relative_path, entry.sha256)
