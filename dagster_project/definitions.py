"""The one ``Definitions`` object of klaster.

Each concern lives in ``dagster_project/defs/<concern>/`` and exposes its own
``defs``; this root only merges them, adds the publish step that depends on
everything else, and the shared resources.
"""

from __future__ import annotations

import importlib
import pkgutil

import dagster as dg

import dagster_project.defs as defs_package
from dagster_project.defs.publish import PUBLISHED_WAREHOUSE, build_publish_asset
from dagster_project.resources import WarehouseResource


def _concern_defs() -> list[dg.Definitions]:
    modules = [
        importlib.import_module(f"{defs_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(defs_package.__path__)
        if info.ispkg
    ]
    return [m.defs for m in modules if isinstance(getattr(m, "defs", None), dg.Definitions)]


def _asset_keys(definitions: dg.Definitions) -> list[dg.AssetKey]:
    keys: list[dg.AssetKey] = []
    for asset in definitions.assets or []:
        if isinstance(asset, dg.AssetsDefinition):
            keys.extend(asset.keys)
    return keys


def build_definitions() -> dg.Definitions:
    merged = dg.Definitions.merge(*_concern_defs())
    upstream = [k for k in _asset_keys(merged) if k != PUBLISHED_WAREHOUSE]
    return dg.Definitions.merge(
        merged,
        dg.Definitions(
            assets=[build_publish_asset(upstream)],
            resources={"warehouse": WarehouseResource()},
        ),
    )


defs = build_definitions()
