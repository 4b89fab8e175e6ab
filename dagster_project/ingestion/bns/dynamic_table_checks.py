"""What the definitions of a BNS dynamic table imply, as release checks.

Employment by activity and region (labour force survey, thousand persons):
the sections the release prints for a year (A-U to 2015, A-S from 2016) add up
to the total, the "Industry" aggregate is B+C+D+E,
the regions add up to the republic, the annual figure is an average of four
quarterly stocks, and a series does not jump by a power of ten from one year
to the next. Where a sheet repeats the republic (TEA_RK next to TEA_regions),
the two printings agree within their rounding.

Tolerances come from the printed rounding: half a unit of the last printed
digit of every cell involved. BNS stores full-precision floats such as
49.903999999999996 (printed 49.904), so a cell's decimals are those of its
value rounded to six places with trailing zeros dropped (at most three for
these tables); an integer such as 180 counts as printed without decimals,
which errs on the lenient side. ``-`` ("no case") counts as zero in a sum;
``x`` (confidential) or ``…`` (not available) makes an identity impossible to
evaluate, and it then holds by definition of ``Instance.excess``.

Two bounds are plausibility bounds, not identities, and say so:

* Annual vs quarters. BNS's annual figure is its own annual estimate, not the
  mean of the printed quarters: on the real files it equals the mean within
  rounding in about 2 % of the activity x region series and 1 % of the regional
  totals; the median gap is 0.2 % for regional totals and 1-2 % for activity x
  region cells, whose quarterly samples are small (factors of 2-4 occur in
  cells of a few thousand persons). So the check is that the annual figure is
  within a factor of 5 of the mean of its quarters: a slip of a power of ten
  (a figure in persons instead of thousands) fails, sampling noise does not.
* Year on year: the same period of consecutive years within a factor of 5.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import ReleaseCheck, shared_by_checks

TOTAL = "TOTAL"
SECTION_CLASSIFICATION = "OKED_SECTION"
# Markers that make a figure unknown (as opposed to '-', "no case" = 0).
UNKNOWN_MARKERS = ("x", "х", "…", "...")
PLAUSIBLE_FACTOR = 5.0
# Plausibility bounds judge series of at least a thousand persons: below that a
# labour-force-survey cell rests on a handful of respondents and moves by any factor.
MIN_PERSONS = 1000.0
PERSONS_PER_UNIT = {"thousand persons": 1000.0, "persons": 1.0}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
_EPSILON = 1e-9


def printed_half_unit(value: float | None) -> float:
    """Half a unit of the last digit BNS printed: 49.903999999999996 -> 0.0005."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0.0
    text = f"{round(float(value), 6):.6f}".rstrip("0")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10.0 ** (-decimals)


class _Fact(dict):
    """One fact row as a check sees it (a dict of its columns) plus ``value_or_zero``
    (None when unknown, 0 for '-'), ``half`` (printed rounding) and ``cell``."""

    def __init__(self, record: dict):
        super().__init__(record)
        marker, value = record["gap_marker"], record["value"]
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        unknown = isinstance(marker, str) and marker.strip() in UNKNOWN_MARKERS
        self.number = None if missing else float(value)  # the printed figure, None for any marker
        self.value_or_zero = None if unknown else (0.0 if missing else float(value))
        self.half = printed_half_unit(self.number)
        self.cell = (record["_source_sheet"], record["_source_cell"])


_FIELDS = ("measure", "unit", "region_code", "activity_code", "classification", "year", "period", "value", "gap_marker",
           "source_region", "source_activity", "_source_sheet", "_source_cell")


@shared_by_checks  # the six checks of a release walk the same records: built once per validation
def _facts(facts: pd.DataFrame) -> list[_Fact]:
    columns = [facts[name].tolist() for name in _FIELDS]  # column-wise: far faster than to_dict
    return [_Fact(dict(zip(_FIELDS, values))) for values in zip(*columns)]


def _grouped(facts: list[_Fact], *keys: str) -> dict[tuple, list[_Fact]]:
    groups: dict[tuple, list[_Fact]] = defaultdict(list)
    for fact in facts:
        groups[tuple(fact[k] for k in keys)].append(fact)
    return groups


def _label(fact: _Fact) -> str:
    return f"{fact['measure']} {fact['region_code']} {fact['activity_code']}"


def _sum_instance(check: str, total: _Fact, parts: list[_Fact], description: str) -> Instance:
    """``total = sum(parts)`` with the rounding of every cell as tolerance and, for
    each cell, the one value that alone makes the identity hold."""
    cells = (total.cell, *(p.cell for p in parts))
    tolerance = total.half + sum(p.half for p in parts) + _EPSILON
    year, period = str(total["year"]), total["period"]
    if total.value_or_zero is None or any(p.value_or_zero is None for p in parts):
        return Instance(check, _label(total), year, period, cells, None, None, tolerance, description)
    expected = sum(p.value_or_zero for p in parts)
    deviation = total.value_or_zero - expected
    solutions = {total.cell: expected}
    for part in parts:
        solutions[part.cell] = part.value_or_zero + deviation
    return Instance(check, _label(total), year, period, cells, total.value_or_zero, expected, tolerance,
                    description, solutions)


def _in_band(value: float, reference: float) -> bool:
    return reference / PLAUSIBLE_FACTOR <= value <= reference * PLAUSIBLE_FACTOR


def power_of_ten_repair(value: float, wanted: float, holds) -> float | None:
    """``value`` times the power of ten nearest to ``wanted / value`` (0.003949 -> 3.949
    for wanted 3.9), when that makes the bound hold (``holds``) and the shift is at
    least a hundredfold: a tenfold jump can be real in a small survey cell, a
    hundredfold one is a slip of units (persons for thousands is a thousandfold)."""
    if value <= 0 or wanted <= 0:
        return None
    shift = round(math.log10(wanted / value))
    repaired = value * 10.0 ** shift
    return repaired if abs(shift) >= 2 and holds(repaired) else None


def _band_instance(check: str, observed: _Fact, reference: float, cells: tuple, description: str,
                   solutions: dict) -> Instance:
    """``observed`` within a factor PLAUSIBLE_FACTOR of ``reference``: expected is the
    nearest end of that band (the observed value itself when inside it). The
    solutions are the cells' values shifted by a power of ten (a slip of units),
    so that a slip that also breaks a sum gets a suggested value."""
    low, high = reference / PLAUSIBLE_FACTOR, reference * PLAUSIBLE_FACTOR
    expected = min(max(observed.number, low), high)
    return Instance(check, _label(observed), str(observed["year"]), observed["period"], cells, observed.number,
                    expected, observed.half + _EPSILON, description,
                    {cell: value for cell, value in solutions.items() if value is not None})


def _large_enough(fact: _Fact, *values: float) -> bool:
    per_unit = PERSONS_PER_UNIT.get(str(fact.get("unit")))
    return per_unit is None or max(values) * per_unit >= MIN_PERSONS


# -- the checks ----------------------------------------------------------------
def sections_sum_to_total(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """The total equals the sum of the sections the release prints for that year.

    Which sections make up the total is the release's own partition: from 2016
    BNS prints no T and U anywhere in the employment release and its totals are
    the exact sum of A-S, while for 2010-2015 TEA_regions prints T and U but
    TEA_RK omits them. So: a group that prints every section the release prints
    for that year is an identity; a group missing some (TEA_RK 2010-2015) is
    only a bound: the sections it prints do not exceed the total."""
    instances = []
    rows = _facts(facts)
    printed_in_year: dict[int, set[str]] = defaultdict(set)
    for fact in rows:
        if fact["classification"] == SECTION_CLASSIFICATION and fact["activity_code"] != TOTAL:
            printed_in_year[fact["year"]].add(fact["activity_code"])
    for (measure, _, year, period), group in _grouped(rows, "measure", "region_code", "year", "period").items():
        totals = [f for f in group if f["activity_code"] == TOTAL]
        sections = [f for f in group if f["classification"] == SECTION_CLASSIFICATION
                    and f["activity_code"] != TOTAL]
        if len(totals) != 1 or not sections:
            continue
        total = totals[0]
        codes = sorted({f["activity_code"] for f in sections})
        missing = sorted(printed_in_year[year] - set(codes))
        where = f"{measure} in {total['source_region']}, {period} {year}"
        if not missing:
            instances.append(_sum_instance(
                "sections_sum_to_total", total, sections,
                f"{where}: the total of all activities equals the sum of the {len(codes)} ОКЭД sections "
                f"the release prints for {year} ({codes[0]}-{codes[-1]})"))
            continue
        identity = _sum_instance("sections_sum_to_total", total, sections, "")
        if identity.observed is None:
            continue
        instances.append(Instance(
            "sections_sum_to_total", identity.indicator, identity.year, identity.value_column, identity.cells,
            identity.observed, max(identity.observed, identity.expected), identity.tolerance,
            f"{where}: the {len(sections)} ОКЭД sections printed do not exceed the total (sections "
            f"{', '.join(missing)}, printed elsewhere in the release for {year}, are missing here)"))
    return instances


def aggregates_sum_to_members(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    instances = []
    rows = _facts(facts)
    for aggregate in (entry.extra.get("dynamic_table") or {}).get("aggregates", []):
        code, members = str(aggregate["code"]), [str(m) for m in aggregate["members"]]
        chosen = [f for f in rows if f["activity_code"] in (code, *members)]
        for (measure, _, year, period), group in _grouped(chosen, "measure", "region_code", "year",
                                                          "period").items():
            whole = [f for f in group if f["activity_code"] == code]
            parts = [f for f in group if f["activity_code"] in members]
            if len(whole) != 1 or len(parts) != len(members):
                continue
            instances.append(_sum_instance(
                "aggregate_equals_its_sections", whole[0], parts,
                f"{measure} in {whole[0]['source_region']}, {period} {year}: '{aggregate['label']}' ({code}) "
                f"equals {' + '.join(members)}",
            ))
    return instances


def regions_sum_to_republic(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """Per activity, year and period: the units of that year (in force, or back-cast
    by the release) add up to the republic. The reader loads only those units."""
    instances = []
    for (measure, _, year, period), group in _grouped(_facts(facts), "measure", "activity_code", "year",
                                                      "period").items():
        republic = [f for f in group if f["region_code"] == TOTAL]
        regions = [f for f in group if f["region_code"] != TOTAL]
        if len(republic) != 1 or not regions:
            continue
        instances.append(_sum_instance(
            "regions_sum_to_republic", republic[0], regions,
            f"{measure}, {republic[0]['source_activity']}, {period} {year}: the republic equals the sum of "
            f"its {len(regions)} regions",
        ))
    return instances


def annual_vs_quarters(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    instances = []
    for _, group in _grouped(_facts(facts), "measure", "region_code", "activity_code", "year").items():
        by_period = {f["period"]: f for f in group}
        if not all(p in by_period for p in ("year", *QUARTERS)):
            continue
        annual, quarters = by_period["year"], [by_period[q] for q in QUARTERS]
        if annual.number is None or any(q.number is None for q in quarters):
            continue  # a marker in the series: nothing to compare
        mean = sum(q.number for q in quarters) / 4.0
        if mean <= 0 or not _large_enough(annual, annual.number, mean):
            continue
        printed = ", ".join(f"{q.number:g}" for q in quarters)
        # One quarter alone would match the annual figure at 4 * annual - the other three.
        solutions = {annual.cell: power_of_ten_repair(annual.number, mean, lambda v: _in_band(v, mean))}
        for quarter in quarters:
            others = sum(q.number for q in quarters) - quarter.number
            solutions[quarter.cell] = power_of_ten_repair(
                quarter.number, 4 * annual.number - others,
                lambda v, others=others: _in_band(annual.number, (others + v) / 4.0))
        instances.append(_band_instance(
            "annual_vs_quarters", annual, mean, (annual.cell, *(q.cell for q in quarters)),
            f"{annual['measure']}, {annual['source_activity']}, {annual['source_region']}, {annual['year']}: "
            f"the annual figure ({annual.number:g}) is an average of the year, so within a factor of "
            f"{PLAUSIBLE_FACTOR:g} of the mean of its quarters ({mean:.4g}; Q1-Q4 = {printed}; "
            f"annual - mean = {annual.number - mean:+.4g})", solutions,
        ))
    return instances


def year_on_year(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    instances = []
    for _, group in _grouped(_facts(facts), "measure", "region_code", "activity_code", "period").items():
        series = {int(f["year"]): f for f in group if f.number is not None}
        for year, current in sorted(series.items()):
            previous = series.get(year - 1)
            if previous is None or previous.number <= 0 or not _large_enough(current, current.number,
                                                                              previous.number):
                continue
            solutions = {
                current.cell: power_of_ten_repair(current.number, previous.number,
                                                  lambda v: _in_band(v, previous.number)),
                previous.cell: power_of_ten_repair(previous.number, current.number,
                                                   lambda v: _in_band(current.number, v)),
            }
            instances.append(_band_instance(
                "year_on_year_plausible", current, previous.number, (current.cell, previous.cell),
                f"{current['measure']}, {current['source_activity']}, {current['source_region']}, "
                f"{current['period']}: {year} ({current.number:g}) against {year - 1} ({previous.number:g}), "
                f"ratio {current.number / previous.number:.3g}; a change beyond a factor of "
                f"{PLAUSIBLE_FACTOR:g} is a slip of units, not growth", solutions,
            ))
    return instances


def repeated_printings_agree(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """A sheet that prints the republic again (manifest ``repeats: <measure>``, TEA_RK)
    agrees with the republic rows of that measure (TEA_regions), each pair within
    the rounding of both printings."""
    instances: list[Instance] = []
    repeats = [s for s in (entry.extra.get("dynamic_table") or {}).get("sheets", []) if s.get("repeats")]
    rows = _facts(facts) if repeats else []
    for spec in repeats:
        index = {(f["activity_code"], f["year"], f["period"]): f for f in rows
                 if f["measure"] == spec["repeats"] and f["region_code"] == TOTAL}
        for fact in (f for f in rows if f["measure"] == spec["measure"]):
            other = index.get((fact["activity_code"], fact["year"], fact["period"]))
            if other is None:
                continue
            instances.append(_sum_instance(
                "repeated_printings_agree", fact, [other],
                f"{fact['source_activity']}, {fact['period']} {fact['year']}: the republic on sheet "
                f"{fact['_source_sheet']} equals the republic on sheet {other['_source_sheet']}",
            ))
    return instances


CHECKS = (
    ReleaseCheck(
        "sections_sum_to_total",
        "The employed of all activities equal the sum of the ОКЭД sections A-U printed for the same "
        "region and period (within the rounding of the printed figures; '-' counts as none).",
        sections_sum_to_total,
    ),
    ReleaseCheck(
        "aggregate_equals_its_sections",
        "BNS's 'Industry' line equals mining (B) + manufacturing (C) + electricity (D) + water supply "
        "and waste (E), within rounding.",
        aggregates_sum_to_members,
    ),
    ReleaseCheck(
        "regions_sum_to_republic",
        "For each activity, year and period the regions of that year (including units the release "
        "restates back in today's borders) add up to the Republic of Kazakhstan, within rounding.",
        regions_sum_to_republic,
    ),
    ReleaseCheck(
        "annual_vs_quarters",
        "Employment is a stock, so the annual figure is an average over the year. BNS's annual figure "
        "is its own estimate, not the mean of the printed quarters (they differ by 1-2 % in a typical "
        "region x activity cell), so the check only flags an annual figure more than 5 times above or "
        "below the mean of its quarters: a slip of units, not sampling noise.",
        annual_vs_quarters,
    ),
    ReleaseCheck(
        "year_on_year_plausible",
        "Each series (region x activity x quarter or year) changes by less than a factor of 5 from one "
        "year to the next; a larger jump is a slip of a power of ten, not employment growth.",
        year_on_year,
    ),
    ReleaseCheck(
        "repeated_printings_agree",
        "Where the release prints the republic twice (sheet TEA_RK and the republic columns of "
        "TEA_regions) the two figures agree within the rounding of each printing.",
        repeated_printings_agree,
    ),
)
