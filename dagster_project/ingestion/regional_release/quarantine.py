"""Quarantines that need the whole set of observations rather than one row:
a key supplied twice (within a release or by two releases) and a measure
published in two units. Both move every affected observation to the
quarantined records, because the loader cannot tell which one is right."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd

from dagster_project.ingestion.regional_release.schema import OBSERVATION_KEY


def quarantine_mixed_units(
    observations: pd.DataFrame, rejected: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One measure of one release in one unit: totals and LQs over persons and
    thousands of persons mixed would be meaningless. Rows in the most frequent
    unit of their measure are kept; the others are quarantined. When no unit
    is the most frequent, the loader cannot tell which is right and every row
    of that measure is quarantined."""
    if observations.empty:
        return observations, rejected
    group = ["economy_code", "classification", "measure"]
    counts = observations.groupby(group + ["unit"], dropna=False).size().rename("n").reset_index()
    if (counts.groupby(group, dropna=False).size() <= 1).all():
        return observations, rejected
    top = counts.groupby(group, dropna=False)["n"].transform("max")
    winners = counts[counts["n"] == top]
    unique_winner = winners.groupby(group, dropna=False)["unit"].transform("size") == 1
    kept_units = winners[unique_winner][group + ["unit"]].assign(_kept=True)
    marked = observations.merge(kept_units, on=group + ["unit"], how="left")
    bad = marked["_kept"].isna().to_numpy()
    units_of = counts.groupby(group, dropna=False)["unit"].agg(lambda u: ", ".join(sorted(map(str, u))))

    def mixed_units(record: dict) -> tuple[dict, Any, str]:
        units = units_of[tuple(record[k] for k in group)]
        raw = {"measure": record["measure"], "value": record["value"], "unit": record["unit"]}
        return raw, record["unit"], (
            f"mixed units for measure {record['measure']!r} in one release ({units}); "
            "quarantined rather than summed"
        )

    return _move_to_quarantine(observations, bad, rejected, mixed_units)


def quarantine_duplicates(
    observations: pd.DataFrame, rejected: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move every occurrence of a duplicated observation key to quarantine: the
    loader cannot tell which of two different figures for the same cell is
    right, and keeping the first would hide the conflict."""
    if observations.empty:
        return observations, rejected
    duplicated = observations.duplicated(subset=OBSERVATION_KEY, keep=False)
    if not duplicated.any():
        return observations, rejected
    where = observations[duplicated].groupby(OBSERVATION_KEY, dropna=False).apply(
        lambda g: [f"{f} row {r}" for f, r in zip(g["_source_file"], g["_source_row"])],
        include_groups=False,
    )

    def duplicate(record: dict) -> tuple[dict, Any, str]:
        others = [
            w
            for w in where[tuple(record[k] for k in OBSERVATION_KEY)]
            if w != f"{record['_source_file']} row {record['_source_row']}"
        ]
        key = {k: record[k] for k in OBSERVATION_KEY}
        raw = dict(key, value=record["value"], gap_marker=record["gap_marker"])
        return raw, record["value"], f"duplicate observation {key}, also on {', '.join(others)}"

    return _move_to_quarantine(observations, duplicated.to_numpy(), rejected, duplicate)


def _move_to_quarantine(
    observations: pd.DataFrame,
    moved: Any,
    rejected: pd.DataFrame,
    describe: Callable[[dict], tuple[dict, Any, str]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move the ``moved`` (boolean mask) observations to ``rejected``;
    ``describe(record)`` gives the raw values kept, the value shown in the
    reason and the problem."""
    rows = []
    for record in observations[moved].to_dict("records"):
        raw, shown, problem = describe(record)
        rows.append(
            {
                "source_file": record["_source_file"],
                "source_row": record["_source_row"],
                "raw_values": json.dumps(raw, ensure_ascii=False, default=str),
                "reason": f"file {record['_source_file']}, row {record['_source_row']}, "
                f"value {shown!r}: {problem}",
            }
        )
    rejected = pd.concat([rejected, pd.DataFrame(rows, columns=rejected.columns)], ignore_index=True)
    return observations[~moved].reset_index(drop=True), rejected
