"""The one ``Definitions`` object of klaster.

Each concern lives in ``dagster_project/defs/<concern>/``; Dagster's loader
(``dg.load_from_defs_folder``, configured in ``dg.toml``) finds every package
and module there and merges what they define. This root adds the two things
that belong to no single concern: the publish step, which depends on every
other asset, and the shared warehouse resource.

``defs`` is a ``@dg.definitions`` function: ``dagster dev -m
dagster_project.definitions`` and ``dagster definitions validate`` load it
lazily, the CLI and the tests call it (``defs()``); the first call loads and
the others reuse that object.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import dagster as dg

from dagster_project.defs.publish import PUBLISHED_WAREHOUSE, build_publish_asset
from dagster_project.resources import WarehouseResource


def _asset_keys(definitions: dg.Definitions) -> list[dg.AssetKey]:
    """Keys of the executable assets (specs such as quality/check_results are not)."""
    keys: list[dg.AssetKey] = []
    for asset in definitions.assets or []:
        if isinstance(asset, dg.AssetsDefinition):
            keys.extend(asset.keys)
    return keys


@dg.definitions
@cache
def defs() -> dg.Definitions:
    concerns = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    upstream = [k for k in _asset_keys(concerns) if k != PUBLISHED_WAREHOUSE]
    return dg.Definitions.merge(
        concerns,
        dg.Definitions(
            assets=[build_publish_asset(upstream)],
            resources={"warehouse": WarehouseResource()},
        ),
    )
