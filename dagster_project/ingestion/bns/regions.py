"""Region labels of BNS releases -> 9-digit КАТО codes of the dated frame.

A label is compared in the frame's folded form (``normalise_label``) after its
footnote marks are stripped and, for an English transliteration typeset with
Cyrillic look-alikes (``Аktobе``), after folding those letters to Latin. The
frame's aliases hold BNS's own spellings. What still does not resolve is
quarantined by the reader with the reason this module gives.

Territorial basis. BNS sometimes restates history in today's borders: the
employment panel shows Turkestan oblast and Shymkent city from 2010 although
both exist only since 19 June 2018. The manifest says so
(``territorial_basis.back_cast_to``: the borders of that year are used for
every earlier year). Such a row is a *back-cast*: kept, resolved to today's
unit and flagged ``back_cast = true``, never quarantined as "not in force" and
never remapped to the predecessor unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dagster_project.ingestion.bns.labels import clean_label, fold_homoglyphs
from dagster_project.ingestion.frames import TOTAL_CODE, Frame, FrameCatalog
from dagster_project.ingestion.workbook import CellValue

REGION_FRAME = "kz_frame_kato_regions"
TOTAL_LABELS = "kz_frame_total_labels"


@dataclass(frozen=True)
class RegionMatch:
    code: str | None  # КАТО code, TOTAL for the republic, None when unresolved
    label: str  # as printed, footnote marks stripped
    footnotes: tuple[str, ...] = ()
    back_cast: bool = False
    homoglyphs_folded: bool = False
    problem: str | None = None  # why it did not resolve (the quarantine reason)


class RegionResolver:
    def __init__(self, frame: Frame):
        self.frame = frame

    @classmethod
    def from_catalog(cls, catalog: FrameCatalog) -> RegionResolver:
        return cls(catalog.frame(REGION_FRAME, "region", "KZ", TOTAL_LABELS))

    def resolve(self, printed: CellValue, year: int, back_cast_to: int | None = None) -> RegionMatch:
        """The unit a label names in ``year``. ``back_cast_to``: the release
        restates years before it in the borders of that year (from the manifest)."""
        label = clean_label(printed)
        text, folded = fold_homoglyphs(label.text)
        if not text:
            return RegionMatch(None, label.text, label.footnotes, problem="empty region label")
        # Resolve against the frame without a year first: whether the unit exists
        # in that year is decided below, with the release's territorial basis.
        found = self.frame.resolve(text, None)
        if found.code is None:
            return RegionMatch(None, label.text, label.footnotes, homoglyphs_folded=folded,
                               problem=f"{found.problem}; add BNS's spelling to the frame's "
                               "aliases if it names a known unit")
        code = found.code
        if code == TOTAL_CODE:
            return RegionMatch(code, label.text, label.footnotes, homoglyphs_folded=folded)
        valid_from, valid_to = self.frame.validity.get(code, (None, None))
        year_end = date(year, 12, 31)
        if valid_to and valid_to < year_end:
            return RegionMatch(
                None, label.text, label.footnotes, homoglyphs_folded=folded,
                problem=f"region {label.text!r} is {code}, no longer in force on 31 December "
                f"{year} (in force to {valid_to}); see the frame's crosswalk for its successors",
            )
        if valid_from and valid_from > year_end:
            restated = back_cast_to is not None and valid_from <= date(back_cast_to, 12, 31)
            if restated:
                return RegionMatch(code, label.text, label.footnotes, back_cast=True,
                                   homoglyphs_folded=folded)
            return RegionMatch(
                None, label.text, label.footnotes, homoglyphs_folded=folded,
                problem=f"region {label.text!r} is {code}, not yet in force on 31 December "
                f"{year} (in force from {valid_from}), and the manifest declares no back-cast "
                "(territorial_basis.back_cast_to) for this release",
            )
        return RegionMatch(code, label.text, label.footnotes, homoglyphs_folded=folded)
