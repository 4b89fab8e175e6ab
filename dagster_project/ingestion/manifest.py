"""The manifest of a raw dataset folder: what each file is, where it comes
from, and what it must look like before it may enter the warehouse."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.numbers import DEFAULT_GAP_MARKERS
from dagster_project.yaml_documents import load_yaml

MANIFEST_NAME = "manifest.yml"

# Keys the loader itself interprets; everything else is provenance and
# dataset-specific description, kept in ``extra`` and shown as asset metadata.
_LOADER_KEYS = {
    "raw_table",
    "file",
    "sha256",
    "encoding",
    "delimiter",
    "decimal",
    "header",
    "key",
    "numeric_columns",
    "gap_markers",
    "loader",
}
_REQUIRED_KEYS = ("raw_table", "file", "sha256", "header")


@dataclass(frozen=True)
class ManifestEntry:
    dataset: str
    raw_table: str
    file: str
    path: Path
    sha256: str
    header: tuple[str, ...]
    encoding: str = "utf-8"
    delimiter: str = ","
    decimal: str = "."
    key: tuple[str, ...] = ()
    numeric_columns: tuple[str, ...] = ()
    gap_markers: tuple[str, ...] = DEFAULT_GAP_MARKERS
    loader: str = "generic"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def relative_path(self) -> str:
        """``<dataset>/<file>``: how messages and metadata name the file."""
        return f"{self.dataset}/{self.file}"

    @property
    def description(self) -> str:
        title = self.extra.get("title")
        if isinstance(title, dict):
            return str(title.get("en") or title.get("original") or self.file)
        return str(title or self.extra.get("description") or self.file)


# Loaders that read a file in its own published layout (a workbook, a JSON
# list, a shapefile) have no text header to check.
_HEADERLESS_LOADERS = {"bns_workbook", "oked_json", "boundaries"}


def _entry(dataset: str, dataset_dir: Path, raw: dict[str, Any], manifest: Path) -> ManifestEntry:
    required = [k for k in _REQUIRED_KEYS if not (k == "header" and raw.get("loader") in _HEADERLESS_LOADERS)]
    missing = [k for k in required if k not in raw]
    if missing:
        raise RawFileError(str(manifest), f"entry {raw.get('file', '?')!r} lacks {missing}")
    header = tuple(str(c) for c in raw.get("header", ()))
    for column in list(raw.get("key", [])) + list(raw.get("numeric_columns", [])):
        if column not in header:
            raise RawFileError(
                str(manifest), f"entry {raw['file']!r} names column {column!r} not in its header"
            )
    return ManifestEntry(
        dataset=dataset,
        raw_table=str(raw["raw_table"]),
        file=str(raw["file"]),
        path=dataset_dir / str(raw["file"]),
        sha256=str(raw["sha256"]).lower(),
        header=header,
        encoding=str(raw.get("encoding", "utf-8")),
        delimiter=str(raw.get("delimiter", ",")),
        decimal=str(raw.get("decimal", ".")),
        key=tuple(raw.get("key", ())),
        numeric_columns=tuple(raw.get("numeric_columns", ())),
        gap_markers=tuple(raw.get("gap_markers", DEFAULT_GAP_MARKERS)),
        loader=str(raw.get("loader", "generic")),
        extra={k: v for k, v in raw.items() if k not in _LOADER_KEYS},
    )


def load_manifest(dataset_dir: Path) -> list[ManifestEntry]:
    """Read ``<dataset_dir>/manifest.yml`` into entries (files are not read)."""
    manifest = Path(dataset_dir) / MANIFEST_NAME
    try:
        document = load_yaml(manifest.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RawFileError(str(manifest), f"cannot read manifest: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("files"), list):
        raise RawFileError(str(manifest), "manifest must be a mapping with a 'files' list")
    dataset = str(document.get("dataset", Path(dataset_dir).name))
    entries = [_entry(dataset, Path(dataset_dir), raw, manifest) for raw in document["files"]]
    tables = [e.raw_table for e in entries]
    duplicated = sorted({t for t in tables if tables.count(t) > 1})
    if duplicated:
        raise RawFileError(str(manifest), f"raw_table names used twice: {duplicated}")
    return entries


def load_all_manifests(dataset_dirs: list[Path]) -> list[ManifestEntry]:
    """Every entry of every dataset; a raw table name must be unique overall."""
    entries = [e for d in dataset_dirs for e in load_manifest(d)]
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.raw_table in seen:
            raise RawFileError(
                entry.relative_path,
                f"raw_table {entry.raw_table!r} is also declared by {seen[entry.raw_table]}",
            )
        seen[entry.raw_table] = entry.relative_path
    return entries
