"""Great Expectations as the verdict on published tables.

Each check's instances become a small frame (one row per instance, with the
instance's *excess* = |observed - expected| - tolerance); GX validates it with
``ExpectColumnValuesToBeBetween(excess, max_value=0)`` and its unexpected index
list says which instances failed. Schema expectations run on the raw text
table itself, all of a table's in one suite (``validate_each``).
"""

from __future__ import annotations

import itertools
from functools import cache

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

_names = itertools.count()


@cache
def _batch_definition():
    context = gx.get_context(mode="ephemeral")
    # Progress bars would flood the Dagster run log with one bar per metric.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("klaster_published_tables")
    asset = source.add_dataframe_asset("published_table")
    return asset.add_batch_definition_whole_dataframe("whole_table")


def validate(frame: pd.DataFrame, expectation) -> tuple[bool, set[int], dict]:
    """Run one expectation on ``frame``; return (success, failing row positions, result)."""
    positional = frame.reset_index(drop=True)
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": positional})
    result = batch.validate(expectation, result_format="COMPLETE")
    failing = set(int(i) for i in (result.result or {}).get("unexpected_index_list") or [])
    return bool(result.success), failing, dict(result.result or {})


def validate_each(frame: pd.DataFrame, expectations: list) -> list[tuple[bool, set[int], dict]]:
    """Run ``expectations`` on ``frame`` as one GX suite; return, for each expectation in
    order, what ``validate`` returns for it alone.

    One suite means one batch: GX hashes the whole frame for every batch (0.05 s on
    a 90k-row release), so a batch per expectation cost more than the expectations."""
    if not expectations:
        return []
    positional = frame.reset_index(drop=True)
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": positional})
    suite = gx.ExpectationSuite(name=f"klaster_schema_{next(_names)}", expectations=list(expectations))
    outcome = batch.validate(suite, result_format="COMPLETE")
    # GX reorders the results (and merges identical expectations): match them by configuration.
    by_configuration = {_configuration_key(r.expectation_config): r for r in outcome.results}
    results = []
    for expectation in expectations:
        result = by_configuration[_configuration_key(expectation.configuration)]
        failing = set(int(i) for i in (result.result or {}).get("unexpected_index_list") or [])
        results.append((bool(result.success), failing, dict(result.result or {})))
    return results


def _configuration_key(configuration) -> tuple[str, str]:
    # GX adds the batch id to the kwargs of a result's configuration.
    kwargs = sorted((k, v) for k, v in configuration.kwargs.items() if k != "batch_id")
    return configuration.type, repr(kwargs)


def instances_within_tolerance(excess: list[float]) -> list[bool]:
    """GX verdict per instance: passed when excess <= 0."""
    if not excess:
        return []
    frame = pd.DataFrame({"excess": excess})
    _, failing, _ = validate(
        frame, gx.expectations.ExpectColumnValuesToBeBetween(column="excess", max_value=0.0)
    )
    return [i not in failing for i in range(len(excess))]


def schema_expectations(header: list[str], key: list[str]) -> list:
    expectations = [gx.expectations.ExpectTableColumnsToMatchOrderedList(column_list=header)]
    for column in key:
        expectations.append(gx.expectations.ExpectColumnValuesToNotBeNull(column=column))
    if len(key) == 1:
        expectations.append(gx.expectations.ExpectColumnValuesToBeUnique(column=key[0]))
    elif key:
        expectations.append(gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=key))
    return expectations


def numeric_type_expectation(column: str):
    return gx.expectations.ExpectColumnValuesToBeInTypeList(
        column=column, type_list=["float64", "Float64", "float"]
    )
