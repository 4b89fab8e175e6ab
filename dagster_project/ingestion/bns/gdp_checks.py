"""The checks the definitions of GDP by production method imply.

* ``gdp_activity_sums`` (flows): every aggregate row equals the signed sum of
  the rows the manifest declares part of it, per sheet, year and period:
  activities -> 'Total for branches', Total + FISIM (printed negative) -> gross
  value added, GVA + net taxes (taxes - subsidies) -> GDP.
* ``gdp_cumulative_periods`` (flows): Q1 <= H1 <= 9M <= year.
* ``gdp_share_year_on_year`` (flows): an activity's share of 'Total for
  branches' does not jump by a power of ten in one year and back the next.
  Shares, not levels: 1992 -> 1994 prices rose some 14-fold a year and the
  tenge replaced the rouble at 500 to 1 in November 1993, so a level may
  legitimately jump by a power of ten; a share only with a moved digit.
* ``gdp_repeated_figures``: a figure printed on two sheets (the 1998-2006
  sheet continues to 2009) is the same on both.
* ``gdp_volume_times_deflator`` (declared by ``identity_with`` on each index
  release, naming the other two): volume index x deflator / 100 = nominal growth index (current
  prices of a period / the same period of the previous year x 100), within the
  rounding of the three printed figures. Mixed units are converted only by a
  rate the manifest declares (``currency_rates``); otherwise not compared.
"""

from __future__ import annotations

import re

import pandas as pd

from dagster_project.ingestion.bns.series_checks import (
    cumulative_instances,
    grouped,
    records,
    share_spike_instances,
    sibling_facts,
    sum_instance,
    with_half_units,
)
from dagster_project.ingestion.bns.series_tools import folded
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import ReleaseCheck

_ROW_KEY = ["classification", "activity_code"]


def _params(entry: ManifestEntry) -> dict:
    return entry.extra.get("gdp_by_activity") or {}


def _is_flow(entry: ManifestEntry) -> bool:
    return bool(_params(entry).get("flow"))


def _structure(entry: ManifestEntry) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(sheet pattern's classification, aggregate code) -> [(part code, sign)], per sheet pattern."""
    parts: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for sheet in _params(entry).get("sheets") or []:
        for row in sheet.get("rows") or []:
            if row.get("part_of"):
                key = (sheet["name_pattern"], row["part_of"])
                parts.setdefault(key, []).append((row["code"], int(row.get("sign", 1))))
    return parts


def _sheet_pattern(entry: ManifestEntry, sheet_name: str) -> str | None:
    for sheet in _params(entry).get("sheets") or []:
        if re.search(sheet["name_pattern"], sheet_name.strip()):
            return sheet["name_pattern"]
    return None


def activity_sums(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    if not _is_flow(entry):
        return []
    rows = with_half_units(facts)
    structure = _structure(entry)
    instances = []
    for (sheet, year, period), group in grouped(rows, ["_source_sheet", "year", "period"]).items():
        pattern = _sheet_pattern(entry, sheet)
        by_code = {r["activity_code"]: r for r in group}
        for (sheet_pattern, aggregate), members in structure.items():
            if sheet_pattern != pattern or aggregate not in by_code:
                continue
            present = [(by_code[c], s) for c, s in members if c in by_code]
            if not present:
                continue
            names = " ".join(f"{'-' if s < 0 else '+'} {c}" for c, s in members if c in by_code)
            instances.append(sum_instance(
                "gdp_activity_sums", aggregate, int(year), period, by_code[aggregate], present,
                f"{sheet} {period} {int(year)}: {aggregate} = {names.lstrip('+ ')}"))
    return instances


def cumulative_periods(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    if not _is_flow(entry):
        return []
    rows = with_half_units(facts)
    # From the annual 2011 figures BNS allocates FISIM to the using activities (the
    # FISIM row is printed through 9 months 2011 and blank from then on), so every
    # activity's year is net of FISIM and its 9 months gross: not one cumulation.
    # Periods are compared only within one treatment of FISIM.
    fisim = rows[rows["activity_code"] == "fisim"]
    with_fisim = set(zip(fisim["_source_sheet"], fisim["year"], fisim["period"]))
    rows = rows.assign(fisim_shown=[(s, y, p) in with_fisim for s, y, p in
                                    zip(rows["_source_sheet"], rows["year"], rows["period"])])
    return cumulative_instances("gdp_cumulative_periods", rows, ["activity_code", "_source_sheet", "fisim_shown"],
                                "GDP flow")


def share_year_on_year(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    if not _is_flow(entry):
        return []
    rows = with_half_units(facts)
    rows = rows[rows["period"] == "year"]
    totals = {(r["_source_sheet"], r["year"]): float(r["value"])
              for r in records(rows[rows["activity_code"] == "TOTAL"])}
    instances = []
    for (sheet, _, code), series in grouped(rows[rows["activity_code"] != "TOTAL"],
                                            ["_source_sheet", *_ROW_KEY]).items():
        run: list[tuple[dict, float]] = []  # consecutive years (a gap breaks the series)
        for record in sorted(series, key=lambda r: r["year"]):
            total = totals.get((sheet, record["year"]))
            if not total:
                continue
            if run and int(record["year"]) != int(run[-1][0]["year"]) + 1:
                instances += share_spike_instances("gdp_share_year_on_year", run, f"{sheet}: share of {code}")
                run = []
            run.append((record, float(record["value"]) / total))
        instances += share_spike_instances("gdp_share_year_on_year", run, f"{sheet}: share of {code}")
    return instances


def repeated_figures(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    rows = with_half_units(facts)
    instances = []
    for key, group in grouped(rows, ["measure", *_ROW_KEY, "year", "period"]).items():
        if len({r["_source_sheet"] for r in group}) < 2:
            continue
        first = group[0]
        for other in group[1:]:
            instances.append(Instance(
                "gdp_repeated_figures", str(key[2]), str(int(key[3])), key[4], (other["cell"], first["cell"]),
                float(other["value"]), float(first["value"]), float(other["half"]) + float(first["half"]),
                f"{key[2]} {key[4]} {int(key[3])} printed on sheets {first['_source_sheet']!r} and "
                f"{other['_source_sheet']!r}",
                {other["cell"]: float(first["value"]), first["cell"]: float(other["value"])}))
    return instances


def volume_times_deflator(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """Each index release declares the other two (``identity_with``: two of
    current_prices, volume_index, deflator); its own facts play the third role."""
    roles = dict(_params(entry).get("identity_with") or {})
    own = {"volume_index", "deflator"} - set(roles)
    if len(roles) != 2 or "current_prices" not in roles or len(own) != 1:
        return []
    own_role = own.pop()
    rates = {(folded(r["from"]), folded(r["to"])): float(r["factor"])
             for r in _params(entry).get("currency_rates") or []}
    key = [*_ROW_KEY, "year", "period"]
    frames = {role: sibling_facts(entry, table) for role, table in roles.items()} | {own_role: facts}
    indexed = {role: {k: g[0] for k, g in grouped(with_half_units(f), key).items()} for role, f in frames.items()}

    def cell(role: str, record: dict) -> tuple[str, str]:
        if role == own_role:
            return record["cell"]
        return f"{roles[role]}:{record['_source_sheet']}", record["_source_cell"]

    volume, deflator, nominal = indexed["volume_index"], indexed["deflator"], indexed["current_prices"]
    instances = []
    for index in indexed[own_role]:
        classification, code, year, period = index
        previous_key = (classification, code, year - 1, period)
        if index not in volume or index not in deflator or index not in nominal or previous_key not in nominal:
            continue
        v, d, now, before = volume[index], deflator[index], nominal[index], nominal[previous_key]
        factor = 1.0
        if folded(before["unit"]) != folded(now["unit"]):
            factor = rates.get((folded(before["unit"]), folded(now["unit"])))
            if factor is None:
                continue  # not comparable without a declared conversion
        base = float(before["value"]) * factor
        if base == 0:
            continue
        growth = float(now["value"]) / base * 100
        product = float(v["value"]) * float(d["value"]) / 100
        tolerance = (float(v["half"]) * float(d["value"]) + float(d["half"]) * float(v["value"])) / 100 + growth * (
            float(now["half"]) / abs(float(now["value"]) or 1) + float(before["half"]) / abs(float(before["value"])))
        own_record, other = (d, v) if own_role == "deflator" else (v, d)
        repair = growth / float(other["value"]) * 100 if float(other["value"]) else float("nan")
        instances.append(Instance(
            "gdp_volume_times_deflator", code, str(year), period,
            (cell(own_role, own_record), cell("volume_index" if own_role == "deflator" else "deflator", other),
             cell("current_prices", now), cell("current_prices", before)),
            product, growth, tolerance,
            f"{code} {period} {year}: volume {v['value']:g} x deflator {d['value']:g} / 100 = nominal growth "
            f"{now['value']:g} / {before['value']:g}{f' x {factor:g}' if factor != 1 else ''} x 100",
            {cell(own_role, own_record): repair}))
    return instances


CHECKS = (
    ReleaseCheck("gdp_activity_sums", "Aggregates equal the signed sum of their parts as printed: activities "
                 "sum to 'Total for branches', Total + FISIM = gross value added, GVA + net taxes on products = "
                 "GDP (per sheet, year and period; tolerance: half a unit of the last printed digit per figure).",
                 activity_sums),
    ReleaseCheck("gdp_cumulative_periods", "Flows cumulated from January never decrease: Q1 <= H1 <= 9 months "
                 "<= year (absolute values for FISIM, printed negative).", cumulative_periods),
    ReleaseCheck("gdp_share_year_on_year", "An activity's share of 'Total for branches' changes by less than "
                 "a factor of ten between consecutive years (levels may: 1992-1994 inflation, rouble -> tenge).",
                 share_year_on_year),
    ReleaseCheck("gdp_repeated_figures", "A figure printed on two sheets (1998-2006 sheet continued to 2009 and "
                 "the 2007-2009 sheet) is the same on both.", repeated_figures),
    ReleaseCheck("gdp_volume_times_deflator", "Volume index x deflator / 100 equals the nominal growth index "
                 "from current prices (same period of the previous year), within the rounding of the three "
                 "printed figures.", volume_times_deflator),
)
