"""Printed labels and cell values of BNS workbooks: footnote marks, gap
markers and the homoglyphs of English transliterations.

BNS typesets English region names with Cyrillic look-alike letters mixed in
(``Аktobе``: Cyrillic А and е), puts footnote marks on labels and years
(``19901)``, ``Employed population1)``, ``Turkestanskaya 3)``, ``2010¹⁾``) and
prints ``-`` for "no case", ``x``/``х`` for confidential and ``…`` for not
available. None of these may change a figure: marks become notes, markers
stay markers (never zeros), and the label is compared in a folded form only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dagster_project.ingestion.numbers import DEFAULT_GAP_MARKERS, parse_number
from dagster_project.ingestion.workbook import CellValue

# Footnote marks at the end of a label: '1)', ' 3)', '¹⁾', '*', '**'.
_TRAILING_MARK = re.compile(r"\s*(?:(\d{1,2})\)|([\u00b9\u00b2\u00b3\u2070-\u2079]+)\u207e?|(\*+))\s*$")
# ... or at its start, as in the notes lines '1) The data was ...'.
_LEADING_MARK = re.compile(r"^\s*(\d{1,2})\)\s*")
_SUPERSCRIPT_DIGITS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079",
                                    "0123456789")

# Cyrillic letters that look like Latin ones, as they appear in BNS's English
# transliterations; folded only in a label that is otherwise Latin.
_CYRILLIC_TO_LATIN = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "а": "a", "е": "e", "о": "o", "р": "p",
    "с": "c", "х": "x", "у": "y", "к": "k", "м": "m", "т": "t", "н": "h", "в": "b",
})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Label:
    text: str  # the label without footnote marks, spacing normalised
    footnotes: tuple[str, ...]  # the marks, e.g. ('1',) for '...1)'
    homoglyphs_folded: bool = False


def clean_label(value: CellValue) -> Label:
    """A printed label without its footnote marks (kept as ``footnotes``)."""
    text = " ".join(str(value).split()) if value is not None else ""
    marks: list[str] = []
    while True:
        match = _TRAILING_MARK.search(text)
        if not match or match.start() == 0:
            break
        mark = next(g for g in match.groups() if g)
        marks.insert(0, mark.translate(_SUPERSCRIPT_DIGITS))
        text = text[: match.start()].rstrip()
    return Label(text, tuple(marks))


def fold_homoglyphs(text: str) -> tuple[str, bool]:
    """Latin spelling of a mostly-Latin label typeset with Cyrillic look-alikes."""
    latin, cyrillic = len(_LATIN.findall(text)), len(_CYRILLIC.findall(text))
    if latin and cyrillic and latin >= cyrillic:
        folded = text.translate(_CYRILLIC_TO_LATIN)
        return folded, folded != text
    return text, False


def footnote_text(value: CellValue) -> tuple[str, str] | None:
    """('1', 'The data was generated ...') for a notes line '1) The data ...'."""
    if not isinstance(value, str):
        return None
    match = _LEADING_MARK.match(value)
    if not match:
        return None
    return match.group(1), value[match.end():].strip()


@dataclass(frozen=True)
class Figure:
    value: float | None
    gap_marker: str | None


def parse_figure(value: CellValue) -> Figure:
    """A published cell as a number or a gap marker; ``ValueError`` otherwise.

    Excel numbers come through as floats; text cells are parsed with the
    project's one list of gap markers (``ingestion.numbers``)."""
    if value is None:
        return Figure(None, None)
    if isinstance(value, bool):
        raise ValueError(f"a boolean {value!r} where a figure is expected")
    if isinstance(value, (int, float)):
        return Figure(float(value), None)
    text = str(value).strip()
    if text.startswith("#"):
        raise ValueError(f"an Excel error value {text!r}")
    parsed = parse_number(text, ".", DEFAULT_GAP_MARKERS)
    return Figure(parsed.value, parsed.gap_marker)


def parse_year(value: CellValue) -> tuple[int, tuple[str, ...]] | None:
    """A year header as printed (2010, '2010 year', '19901)', '2023²⁾') ->
    (year, footnote marks); None when the cell is not a year."""
    if isinstance(value, (int, float)) and float(value).is_integer() and 1900 < value < 2100:
        return int(value), ()
    if not isinstance(value, str):
        return None
    label = clean_label(value)
    match = re.fullmatch(r"(\d{4})(\d\))?(?:\s*(?:year|год|г\.?|жыл))?", label.text, re.IGNORECASE)
    if not match:
        # '19901)' -> the mark is glued to the year.
        glued = re.fullmatch(r"(\d{4})(\d)\)", str(value).strip())
        if glued:
            return int(glued.group(1)), (glued.group(2),)
        return None
    year = int(match.group(1))
    marks = label.footnotes + ((match.group(2)[0],) if match.group(2) else ())
    return (year, marks) if 1900 < year < 2100 else None
