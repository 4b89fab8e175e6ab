"""Which dbt tests wait for a later step of the same run.

The yearly facts (tag ``yearly``) are a partitioned Dagster asset between
unpartitioned dbt models, so Dagster runs the dbt project as several steps:
models upstream of the yearly facts, the yearly facts, then what depends on
them. dbt's default (eager) test selection runs every test that touches any
model of a step, including a test that also reads a model a *later* step
builds (``relationships`` from a cluster mart to a dimension, codes of the
location quotients checked against the region dimension). On a fresh
warehouse that model does not exist yet; on a rerun it is last year's table.
So a test runs in the step that builds the last of its models: a step defers
the tests that read a model still to be built in this run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import dagster as dg

_BUILT_RESOURCE_TYPES = {"model", "seed", "snapshot"}


def dbt_tests_waiting_for_later_steps(
    manifest: Mapping[str, Any], building_now: Collection[str], built_later: Collection[str]
) -> list[str]:
    """Names of the tests that read a node of ``building_now`` and one of
    ``built_later`` (dbt unique ids), sorted: they belong to a later step."""
    now, later = set(building_now), set(built_later)
    waiting = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        parents = set(node["depends_on"]["nodes"])
        if parents & now and parents & later:
            waiting.append(node["name"])
    return sorted(waiting)


def _materialized_in_run(
    instance: dg.DagsterInstance, run_id: str, keys: Collection[dg.AssetKey]
) -> set[dg.AssetKey]:
    """The ``keys`` this run has already materialised (earlier steps)."""
    run_record = instance.get_run_record_by_id(run_id)
    started = run_record.start_time if run_record is not None else None
    done = set()
    for key in keys:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, after_timestamp=started), limit=5
        ).records
        if any(record.run_id == run_id for record in records):
            done.add(key)
    return done


def deferred_test_args(
    context: dg.AssetExecutionContext, manifest: Mapping[str, Any], translator: Any
) -> list[str]:
    """``--exclude`` arguments for the tests of this step that must wait for a
    later step of the run (empty when the step is the last of its tests)."""
    asset_keys_by_node = {
        unique_id: translator.get_asset_key(node)
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in _BUILT_RESOURCE_TYPES
    }
    selected_now = set(context.selected_asset_keys)
    run = context.run
    # None means the whole job: every dbt asset of this code location.
    in_this_run = set(run.asset_selection or asset_keys_by_node.values())
    candidates = (in_this_run & set(asset_keys_by_node.values())) - selected_now
    materialized = _materialized_in_run(context.instance, run.run_id, candidates)
    still_to_build = in_this_run - selected_now - materialized
    waiting = dbt_tests_waiting_for_later_steps(
        manifest,
        building_now=[uid for uid, key in asset_keys_by_node.items() if key in selected_now],
        built_later=[uid for uid, key in asset_keys_by_node.items() if key in still_to_build],
    )
    if not waiting:
        return []
    context.log.info(
        f"{len(waiting)} dbt test(s) read a model a later step of this run builds; they run "
        f"there: {', '.join(waiting)}"
    )
    # One argument: dbt reads a space-separated selector as a union.
    return ["--exclude", " ".join(waiting)]
