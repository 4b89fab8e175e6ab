"""The dbt layers read only downwards (docs/ARCHITECTURE.md, "dbt contract"):
staging reads sources only, intermediate never reads a mart. A computation a
mart and an intermediate model both need lives in an intermediate model that
the mart publishes with a thin select, so the marts stay the end of the line.
Read from dbt's manifest (built by the conftest), in milliseconds."""

from __future__ import annotations

import json
from functools import cache

from dagster_project import settings

MANIFEST = settings.DBT_PROJECT_DIR / "target" / "manifest.json"


@cache
def _models() -> dict[str, dict]:
    nodes = json.loads(MANIFEST.read_text(encoding="utf-8"))["nodes"]
    return {uid: node for uid, node in nodes.items() if node["resource_type"] == "model"}


def _layer(node: dict) -> str:
    # fqn: [project, layer, (folder,) model]
    return node["fqn"][1]


def _edges(reader_layer: str) -> list[tuple[str, str, str]]:
    """(reader, what it reads, the layer of what it reads) for every model of a layer."""
    models = _models()
    return [
        (node["name"], models[parent]["name"] if parent in models else parent,
         _layer(models[parent]) if parent in models else parent.split(".")[0])
        for node in models.values()
        if _layer(node) == reader_layer
        for parent in node["depends_on"]["nodes"]
    ]


def test_the_manifest_has_the_three_layers() -> None:
    layers = {_layer(node) for node in _models().values()}
    assert {"staging", "intermediate", "marts"} <= layers
    # the checks below would pass vacuously if no model read anything
    assert any(_edges("intermediate")) and any(_edges("staging"))


def test_no_intermediate_model_reads_a_mart() -> None:
    reads = [f"{reader} -> {parent}" for reader, parent, layer in _edges("intermediate") if layer == "marts"]
    assert not reads, (
        "intermediate models reading marts (move the mart's computation into an intermediate "
        f"model that the mart selects from): {reads}"
    )


def test_staging_models_read_only_sources() -> None:
    reads = [f"{reader} -> {parent}" for reader, parent, layer in _edges("staging") if layer != "source"]
    assert not reads, f"staging models reading something other than a source: {reads}"


def test_every_model_is_in_a_layer() -> None:
    outside = [n["name"] for n in _models().values() if _layer(n) not in {"staging", "intermediate", "marts"}]
    assert not outside, f"models outside staging/intermediate/marts: {outside}"
