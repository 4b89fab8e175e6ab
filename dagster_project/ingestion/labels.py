"""Trilingual labels are data: the manifest of a dataset gives kk/ru/en labels
for every code of its tables; they are loaded into ``raw.<dataset>_labels``."""

from __future__ import annotations

import pandas as pd

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry

LANGUAGES = ("kk", "ru", "en")
LABEL_COLUMNS = ["table_id", "dimension", "code", "label_kk", "label_ru", "label_en",
                 "price_basis", "note"]


def table_id(entry: ManifestEntry) -> str:
    """``seed_s002_t1`` -> ``s002_t1``: the id the seed tables are known by."""
    return entry.raw_table.removeprefix(f"{entry.dataset.rstrip('s')}_")


def labels_frame(entries: list[ManifestEntry]) -> pd.DataFrame:
    """One row per (table, dimension, code); a label missing in any language is an error."""
    rows = []
    for entry in entries:
        price_basis = entry.extra.get("price_basis", {})
        for dimension, codes in (entry.extra.get("labels") or {}).items():
            for code, labels in codes.items():
                missing = [lang for lang in LANGUAGES if not (labels or {}).get(lang)]
                if missing:
                    raise RawFileError(
                        f"{entry.dataset}/manifest.yml",
                        f"label of {dimension} {code!r} of {entry.file} lacks {missing}",
                    )
                rows.append(
                    {
                        "table_id": table_id(entry),
                        "dimension": dimension,
                        "code": str(code),
                        "label_kk": labels["kk"],
                        "label_ru": labels["ru"],
                        "label_en": labels["en"],
                        "price_basis": price_basis.get(code) if isinstance(price_basis, dict) else None,
                        "note": labels.get("note"),
                    }
                )
    return pd.DataFrame(rows, columns=LABEL_COLUMNS, dtype="string")
