"""Period headers of BNS national-accounts tables, and the dates they end on.

BNS prints cumulative periods in many spellings: '1 quarter 2007 year',
'1 half-year of 2008', 'January-June of 2010', '9 months of 2014',
'2017 year1)', '20232)' (footnote 2 glued to the year), '9 months of 2019**',
'1 quarter \\n2020 year', or the period alone ('1 quarter', 'january-june',
'9 months', 'year') under a year printed once for a block of columns. All of
them become one of the project's periods: 'Q1'..'Q4' (one quarter), 'H1' and
'9M' (cumulative from January) or 'year', with the year when it is printed and
the footnote marks (kept as notes, never part of the year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dagster_project.ingestion.workbook import CellValue

# Cumulative phrases and quarters, compared case-folded with single spaces.
_PERIOD_WORDS = {
    "": "year",
    "year": "year",
    "год": "year",
    "1 quarter": "Q1",
    "i quarter": "Q1",
    "1 квартал": "Q1",
    "2 quarter": "Q2",
    "3 quarter": "Q3",
    "4 quarter": "Q4",
    "1 half-year": "H1",
    "i half-year": "H1",
    "half-year": "H1",
    "january-june": "H1",
    "январь-июнь": "H1",
    "9 months": "9M",
    "january-september": "9M",
    "январь-сентябрь": "9M",
    "9 месяцев": "9M",
}
# A footnote mark at the very end: '1)', '2)' or asterisks.
_TRAILING_MARK = re.compile(r"(\d\)|\*+)$")
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
_FILLER = re.compile(r"(?<![-\w])(?:of|year|г\.?|года?)(?![-\w])")

# The last day each period covers (cumulative periods end where their last quarter does).
_PERIOD_END = {"Q1": (3, 31), "Q2": (6, 30), "Q3": (9, 30), "Q4": (12, 31), "H1": (6, 30),
               "9M": (9, 30), "year": (12, 31)}
# Cumulative periods in the order each contains the previous one.
CUMULATIVE_ORDER = ("Q1", "H1", "9M", "year")


@dataclass(frozen=True)
class PeriodHeader:
    period: str  # Q1..Q4, H1, 9M, year
    year: int | None  # None when the header prints only the period
    footnotes: tuple[str, ...] = ()


def parse_period_header(value: CellValue) -> PeriodHeader | None:
    """The period (and year, when printed) of a column header; None when the
    cell is not a period header."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1900 < value < 2100:
            return PeriodHeader("year", int(value))
        return None
    text = " ".join(str(value).split()).casefold()
    marks: list[str] = []
    while (match := _TRAILING_MARK.search(text)) and match.start() > 0:
        mark = match.group(1)
        marks.insert(0, mark.rstrip(")"))
        text = text[: match.start()].rstrip()
    years = _YEAR.findall(text)
    if len(years) > 1:
        return None
    year = int(years[0]) if years else None
    phrase = " ".join(_YEAR.sub(" ", text).split())
    if phrase not in _PERIOD_WORDS:
        # 'of' and 'year' around the year ('1 quarter 2007 year', '9 months of 2014')
        phrase = " ".join(_FILLER.sub(" ", phrase).split())
    if phrase not in _PERIOD_WORDS or (year is None and phrase == ""):
        return None
    return PeriodHeader(_PERIOD_WORDS[phrase], year, tuple(marks))


def period_end(year: int, period: str) -> date:
    """The last day a period of ``year`` covers (31 March for Q1, 30 June for H1...)."""
    month, day = _PERIOD_END[period]
    return date(year, month, day)
