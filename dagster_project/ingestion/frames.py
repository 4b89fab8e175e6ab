"""Frames: the code lists of one economy, one dimension (regions, industries),
and how a printed label finds its code in them.

Every loader that meets a region or an activity as printed text (the regional
releases, the BNS workbooks, the boundary and ОКЭД checks, the report's maps)
resolves it here, against the frame tables declared in ``data/raw``
(``regional_frames``, ``kazakhstan_frame``), so that one spelling means one
code everywhere. Labels are compared in a folded form (:func:`normalise_label`);
labels that mark a published total resolve to the reserved code ``TOTAL``; a
code not in force in the year read is not resolved (the frame's crosswalk
names its predecessor or successor).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry, load_all_manifests
from dagster_project.ingestion.text_table import read_text_table

TOTAL_CODE = "TOTAL"

_SUPERSCRIPT_FOOTNOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+$")
_FOOTNOTE = re.compile(r"(\s*(\d+\)|\*+))+$")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
# Exports often write German umlauts as ae/oe/ue and Russian ё as е.
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ё": "е"})
_SPACES = re.compile(r"\s+")
_PUNCTUATION_SPACING = re.compile(r"\s*([.,;:/()\-])\s*")


def normalise_label(text: str) -> str:
    """The comparison form of a printed label: case, spacing, dashes, umlaut
    spellings and trailing footnote markers ('1)', '*', '¹') do not matter."""
    folded = _SUPERSCRIPT_FOOTNOTE.sub("", text.strip())
    folded = unicodedata.normalize("NFKC", folded).casefold().translate(_DASHES).translate(_FOLD)
    folded = _FOOTNOTE.sub("", folded)
    folded = _SPACES.sub(" ", folded).strip()
    return _PUNCTUATION_SPACING.sub(r"\1", folded)


@dataclass(frozen=True)
class Resolution:
    code: str | None
    problem: str | None = None


@dataclass
class Frame:
    """The codes of one dimension of one economy and every label that names them."""

    table: str
    economy_code: str
    dimension: str
    classification: str
    lookup: dict[str, str]
    validity: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)

    def resolve(self, text: str, year: int | None) -> Resolution:
        if text is None or not str(text).strip():
            return Resolution(None, f"empty {self.dimension}")
        code = self.lookup.get(normalise_label(str(text)))
        if code is None:
            return Resolution(
                None,
                f"{self.dimension} {str(text).strip()!r} is not in frame {self.table} "
                f"(economy {self.economy_code})",
            )
        if code != TOTAL_CODE and year is not None and code in self.validity:
            valid_from, valid_to = self.validity[code]
            year_end = date(year, 12, 31)
            if (valid_from and valid_from > year_end) or (valid_to and valid_to < year_end):
                span = f"in force {valid_from or '…'} to {valid_to or '…'}"
                return Resolution(
                    None,
                    f"{self.dimension} {str(text).strip()!r} is {code}, which is not in force on "
                    f"31 December {year} ({span}); see the frame's crosswalk for its "
                    "predecessor or successor units",
                )
        return Resolution(code)


def _parse_date(text: str | None, table: str, row: int) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise RawFileError(table, "not an ISO date (YYYY-MM-DD)", row=row, value=text) from exc


class FrameCatalog:
    """Resolvers built from the frame tables declared in the raw manifests;
    each table is read (and its checksum verified) once."""

    def __init__(self, entries: Iterable[ManifestEntry]):
        self._entries = {e.raw_table: e for e in entries}
        self._tables: dict[str, pd.DataFrame] = {}

    @classmethod
    def from_dataset_dirs(cls, dataset_dirs: list[Path]) -> FrameCatalog:
        return cls(load_all_manifests(dataset_dirs))

    def table(self, raw_table: str) -> pd.DataFrame:
        if raw_table not in self._tables:
            if raw_table not in self._entries:
                raise RawFileError(raw_table, "frame table is not declared in any raw manifest")
            self._tables[raw_table] = read_text_table(self._entries[raw_table])
        return self._tables[raw_table]

    def frame(
        self, raw_table: str, dimension: str, economy_code: str, totals_table: str | None
    ) -> Frame:
        table = self.table(raw_table)
        code_column = f"{dimension}_code"
        if code_column not in table.columns or "economy_code" not in table.columns:
            raise RawFileError(
                raw_table, f"a {dimension} frame needs columns economy_code and {code_column}"
            )
        rows = table[table["economy_code"] == economy_code]
        if rows.empty:
            raise RawFileError(raw_table, f"frame has no rows for economy {economy_code!r}")
        classifications = sorted(set(rows["classification"]))
        if len(classifications) != 1:
            raise RawFileError(raw_table, f"frame mixes classifications {classifications}")
        label_columns = [
            c
            for c in table.columns
            if c.startswith(("name_", "label_")) and not c.endswith("_status")
        ]
        lookup: dict[str, str] = {}
        validity: dict[str, tuple[date | None, date | None]] = {}

        def add(label: str | None, code: str, row: int) -> None:
            if label is None or pd.isna(label) or not str(label).strip():
                return
            key = normalise_label(str(label))
            if lookup.setdefault(key, code) != code:
                raise RawFileError(
                    raw_table,
                    f"label {label!r} names both {lookup[key]} and {code}",
                    row=row,
                )

        for record in rows.to_dict("records"):
            code, row = str(record[code_column]), int(record["_source_row"])
            add(code, code, row)
            for column in label_columns:
                add(record[column], code, row)
            for alias in str(record.get("aliases") or "").split("|"):
                add(alias, code, row)
            if "valid_from" in record:
                validity[code] = (
                    _parse_date(record.get("valid_from"), raw_table, row),
                    _parse_date(record.get("valid_to"), raw_table, row),
                )
        if totals_table:
            totals = self.table(totals_table)
            chosen = totals[
                (totals["economy_code"] == economy_code) & (totals["dimension"] == dimension)
            ]
            for record in chosen.to_dict("records"):
                add(record["label"], TOTAL_CODE, int(record["_source_row"]))
        return Frame(raw_table, economy_code, dimension, classifications[0], lookup, validity)
