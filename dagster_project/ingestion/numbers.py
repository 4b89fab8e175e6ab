"""Parsing of published numbers as statistical offices print them.

Gap markers are kept apart from values: ``-`` (no occurrence), ``х``
(confidential; Cyrillic or Latin x), ``…``/``...`` (not available), ``---``
(US BEA: suppressed) and ``n.p.`` (ABS: not published). They are never zeros:
the value becomes NULL and the marker is stored beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from dagster_project import settings


def _project_gap_markers() -> tuple[str, ...]:
    """The one list of gap markers: ``vars.gap_markers`` of dbt/dbt_project.yml,
    which the dbt macros that type the raw text read as well, so a loader and a
    staging model can never disagree about what is a gap."""
    document = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return tuple(str(marker) for marker in document["vars"]["gap_markers"])


DEFAULT_GAP_MARKERS: tuple[str, ...] = _project_gap_markers()

# Thin and no-break spaces appear as thousands separators in exported tables.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None
    gap_marker: str | None


def parse_number(
    text: str | None,
    decimal: str = ".",
    gap_markers: tuple[str, ...] | list[str] = DEFAULT_GAP_MARKERS,
) -> ParsedNumber:
    """Parse one published cell; raise ``ValueError`` for anything that is
    neither a number nor a declared gap marker (an empty cell is a gap without
    a marker)."""
    if text is None:
        return ParsedNumber(None, None)
    stripped = text.strip()
    if stripped == "":
        return ParsedNumber(None, None)
    if stripped in gap_markers:
        return ParsedNumber(None, stripped)
    candidate = _SPACES.sub("", stripped)
    if decimal == ",":
        if "." in candidate and "," in candidate:
            raise ValueError(f"ambiguous number {text!r}: both '.' and ',' with decimal ','")
        candidate = candidate.replace(",", ".")
    elif "," in candidate:
        raise ValueError(f"unexpected ',' in {text!r} (the manifest declares decimal '.')")
    if not _NUMBER.match(candidate):
        raise ValueError(f"not a number or gap marker: {text!r}")
    return ParsedNumber(float(candidate), None)
