"""The full ОКЭД list (a JSON list of 2,097 records, five levels, Russian titles)
-> ``raw.kz_oked_full``, after proving the file is the one the manifest names.

Each record is kept as published: code, level, parent, section, title, note and
the label string, plus its position in the list (``_source_row``, 1-based). The
level names of the file (секция, раздел, ...) are mapped to the project's
(section, division, ...) by the manifest's ``levels``; an unknown level refuses
the file. The structure is then checked (:func:`check_oked`): counts per level
as the source states them, unique codes, every parent present one level up,
and sections and divisions equal to the frame's. Those checks report, they do
not correct: a failing check leaves the list as published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.raw_files import read_entry
from dagster_project.ingestion.text_table import SOURCE_ROW

LOADER = "oked_json"
LEVELS = ("section", "division", "group", "class", "subclass")
# The file's keys, in the order they are loaded (renamed where the project has a name).
_FIELDS = {
    "code": "code",
    "level": "level_ru",
    "parent": "parent_code",
    "section": "section_code",
    "name": "title_ru",
    "description": "description_ru",
    "label": "label_as_published",
}
COLUMNS = ("code", "level", *(_FIELDS[k] for k in _FIELDS if k != "code"), SOURCE_ROW)


def read_oked(entry: ManifestEntry) -> pd.DataFrame:
    """The list as a DataFrame of text columns plus ``_source_row``; raises
    :class:`RawFileError` on a checksum mismatch, bad JSON or a malformed record."""
    name = entry.relative_path
    data = read_entry(entry)
    try:
        records = json.loads(data.decode(entry.encoding))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RawFileError(name, f"not a {entry.encoding} JSON document: {exc}") from exc
    if not isinstance(records, list) or not records:
        raise RawFileError(name, "expected a non-empty JSON list of records")
    levels: dict[str, str] = dict(entry.extra.get("levels") or {})
    if sorted(levels.values()) != sorted(LEVELS):
        raise RawFileError(name, f"manifest 'levels' must map the file's level names onto {LEVELS}")
    rows = []
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise RawFileError(name, "record is not a JSON object", row=position)
        missing = [k for k in _FIELDS if k not in record]
        if missing:
            raise RawFileError(name, f"record lacks {missing}", row=position)
        not_text = [k for k in _FIELDS if not isinstance(record[k], str)]
        if not_text:
            raise RawFileError(name, f"fields {not_text} are not strings", row=position)
        if record["level"] not in levels:
            raise RawFileError(
                name, f"unknown level; the manifest knows {sorted(levels)}", row=position,
                column="level", value=record["level"],
            )
        row = {"code": record["code"].strip(), "level": levels[record["level"]]}
        row.update({_FIELDS[k]: record[k] for k in _FIELDS if k != "code"})
        # An empty parent (the sections) is NULL, not a code.
        row["parent_code"] = row["parent_code"].strip() or None
        row[SOURCE_ROW] = position
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


@dataclass(frozen=True)
class OkedCheck:
    """One structural check of the list: its verdict and what a reader needs."""

    name: str
    description: str
    passed: bool
    observed: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def _level_counts(oked: pd.DataFrame, expected: dict[str, int]) -> OkedCheck:
    observed = {level: int((oked["level"] == level).sum()) for level in LEVELS}
    wrong = [f"{lv}: {observed[lv]} records, the source states {expected.get(lv)}"
             for lv in LEVELS if observed[lv] != expected.get(lv)]
    return OkedCheck("level_counts", "Records per level equal the counts the source states "
                     "(manifest expected_counts).", not wrong, observed, dict(expected), tuple(wrong))


def _unique_codes(oked: pd.DataFrame) -> OkedCheck:
    counts = oked["code"].value_counts()
    twice = counts[counts > 1]
    problems = tuple(
        f"code {code!r} at positions {oked.loc[oked['code'] == code, SOURCE_ROW].tolist()}"
        for code in twice.index
    )
    return OkedCheck("unique_codes", "Every code appears once.", not problems,
                     {"duplicated_codes": len(twice)}, {"duplicated_codes": 0}, problems)


def _parents(oked: pd.DataFrame) -> OkedCheck:
    """Every record but a section has a parent one level up; a numeric code
    extends its parent's digits (011 under 01, 0111 under 011) and every record
    carries the section of its division."""
    by_code = oked.drop_duplicates("code").set_index("code")
    problems = []
    for row in oked.to_dict("records"):
        code, level, section = row["code"], row["level"], row["section_code"]
        parent = None if pd.isna(row["parent_code"]) else row["parent_code"]
        depth = LEVELS.index(level)
        where = f"{level} {code!r} (position {row[SOURCE_ROW]})"
        if depth == 0:
            if parent is not None:
                problems.append(f"{where}: a section has parent {parent!r}")
            if section != code:
                problems.append(f"{where}: section field {section!r}")
            continue
        if parent is None or parent not in by_code.index:
            problems.append(f"{where}: parent {parent!r} is not in the list")
            continue
        if by_code.at[parent, "level"] != LEVELS[depth - 1]:
            problems.append(f"{where}: parent {parent!r} is a {by_code.at[parent, 'level']}")
        if depth >= 2 and not code.startswith(parent):
            problems.append(f"{where}: code does not extend its parent {parent!r}")
        if depth == 1 and section != parent:
            problems.append(f"{where}: section field {section!r}, parent {parent!r}")
        if depth >= 2 and section != by_code.at[parent, "section_code"]:
            problems.append(f"{where}: section field {section!r} differs from its parent's")
    return OkedCheck("parents_exist", "Every record but a section has a parent one level up that "
                     "is in the list; codes extend their parent's.", not problems,
                     {"records_with_problems": len(problems)}, {"records_with_problems": 0},
                     tuple(problems))


def _frame_agreement(oked: pd.DataFrame, sections: pd.DataFrame, divisions: pd.DataFrame) -> OkedCheck:
    """Sections and divisions (with their section) equal the frame's, so the
    frame's kk/en labels attach to the right codes."""
    problems = []
    for level, frame in (("section", sections), ("division", divisions)):
        listed = {r["code"]: r["parent_code"] for r in oked[oked["level"] == level].to_dict("records")}
        framed = {str(r["industry_code"]): r["parent_code"] if level == "division" else None
                  for r in frame.to_dict("records")}
        listed = {code: None if pd.isna(parent) else parent for code, parent in listed.items()}
        for code in sorted(set(framed) - set(listed)):
            problems.append(f"{level} {code!r} is in the frame but not in the list")
        for code in sorted(set(listed) - set(framed)):
            problems.append(f"{level} {code!r} is in the list but not in the frame")
        for code in sorted(set(listed) & set(framed)):
            if level == "division" and listed[code] != framed[code]:
                problems.append(f"division {code!r}: section {listed[code]!r} in the list, "
                                f"{framed[code]!r} in the frame")
    return OkedCheck("frame_agreement", "Section and division codes (and each division's section) "
                     "equal those of data/raw/kazakhstan_frame.", not problems,
                     {"disagreements": len(problems)}, {"disagreements": 0}, tuple(problems))


def check_oked(
    oked: pd.DataFrame, entry: ManifestEntry, sections: pd.DataFrame, divisions: pd.DataFrame
) -> list[OkedCheck]:
    """All structural checks of the loaded list (``sections`` / ``divisions``:
    the frame tables kz_frame_oked_sections / kz_frame_oked_divisions as text)."""
    expected = {str(k): int(v) for k, v in (entry.extra.get("expected_counts") or {}).items()}
    return [
        _level_counts(oked, expected),
        _unique_codes(oked),
        _parents(oked),
        _frame_agreement(oked, sections, divisions),
    ]
