"""Every dbt unit test of the project (`unit_tests:` in the models' yml: LQ
classes, shift-share, comparable units, published-cell validations, ...) in
the fast part of the suite, on a temporary warehouse.

dbt types a fixture given as rows (`format: dict`, the default) from the
relation it stands for, so that relation must exist: here each one is created
empty, with the columns the fixtures of the project give it and the types
their values have (a quoted value is text, 2021 an integer, 20.0 a double,
true a boolean, "['a', 'b']" a list of texts; a column that no row gives,
documented in the model's yml or NULL in every row, is text). A fixture whose
model reads a column no row mentions, or needs another type, is written as
`format: sql`. The full refresh's `dbt build` runs the same unit tests against
the real relations."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dagster_project import settings
from dagster_project.partitions import PARTITION_END_ENV_VAR, PARTITION_START_ENV_VAR

MANIFEST = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
DBT = Path(sys.executable).parent / "dbt"


def _sql_type(values: list) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "varchar"
    if all(isinstance(v, list) for v in known):
        return _sql_type([item for v in known for item in v]) + "[]"
    # dbt's fixtures write a list column as the literal of a list of texts,
    # "['a:y2006', 'b:y2006']", which the relation's type casts
    if all(isinstance(v, str) and v.startswith("[") and v.endswith("]") for v in known):
        return "varchar[]"
    if all(isinstance(v, bool) for v in known):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in known):
        return "integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in known):
        return "double"
    return "varchar"


def fixture_relations(manifest: dict) -> dict[tuple[str, str], dict[str, str]]:
    """(schema, table) -> {column: type} of every relation a row fixture stands for."""
    nodes = {**manifest["nodes"], **manifest["sources"]}
    by_ref = {n["name"]: n for n in nodes.values() if n["resource_type"] == "model"}
    by_source = {(n["source_name"], n["name"]): n for n in manifest["sources"].values()}
    values: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for test in manifest["unit_tests"].values():
        for given in test["given"]:
            if given.get("format", "dict") == "sql":
                continue
            if ref := re.fullmatch(r"ref\('([^']+)'\)", given["input"]):
                node = by_ref[ref.group(1)]
            else:
                source = re.fullmatch(r"source\('([^']+)',\s*'([^']+)'\)", given["input"])
                assert source, f"unit test {test['name']}: input {given['input']!r} not understood"
                node = by_source[source.groups()]
            relation = (node["schema"], node.get("alias") or node["name"])
            # every column the model's yml documents exists, NULL unless a row gives it
            for column in node.get("columns", {}):
                values[relation][column.lower()]
            for row in given["rows"]:
                for column, value in row.items():
                    values[relation][column.lower()].append(value)
    return {rel: {c: _sql_type(v) for c, v in cols.items()} for rel, cols in values.items()}


def test_fixture_columns_are_typed_from_their_values() -> None:
    manifest = {
        "nodes": {"model.k.m": {"resource_type": "model", "name": "m", "schema": "intermediate", "alias": "m",
                                "columns": {"code": {}, "note": {}}}},
        "sources": {},
        "unit_tests": {"u": {"name": "u", "given": [
            {"input": "ref('m')", "rows": [
                {"code": "A", "year": 2021, "value": 2.0, "flag": True, "gap": None, "cells": "['a:y1']"},
                {"code": "B", "year": 2022, "value": 3, "flag": False, "gap": None, "cells": "[]"},
            ]},
            {"input": "ref('m')", "format": "sql", "rows": "select 1 as ignored"},
        ]}},
    }
    assert fixture_relations(manifest) == {
        ("intermediate", "m"): {
            "code": "varchar", "note": "varchar", "year": "integer", "value": "double", "flag": "boolean",
            "gap": "varchar", "cells": "varchar[]",
        }
    }


@pytest.mark.parametrize("years", [None, ("2010", "2010")], ids=["every_year", "one_year_run"])
def test_every_dbt_unit_test_passes(tmp_path: Path, years: tuple[str, str] | None) -> None:
    """Also in the environment of a one-year run (`klaster refresh --years
    2010`), where dbt builds the yearly step with its partition years set: a
    unit test whose fixture lies in another year must still pass there."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["unit_tests"], "the project has no dbt unit tests"
    published = tmp_path / "klaster.duckdb"
    build = settings.build_warehouse_path(published)
    with duckdb.connect(str(build)) as connection:
        for (schema, table), columns in fixture_relations(manifest).items():
            connection.execute(f'create schema if not exists "{schema}"')
            typed = ", ".join(f'"{column}" {kind}' for column, kind in columns.items())
            connection.execute(f'create table "{schema}"."{table}" ({typed})')
    result = subprocess.run(
        [str(DBT), "test", "--select", "test_type:unit", "--profiles-dir", ".", "--target", "build",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=settings.DBT_PROJECT_DIR,
        env={**os.environ, settings.WAREHOUSE_ENV_VAR: str(published),
             **(dict(zip((PARTITION_START_ENV_VAR, PARTITION_END_ENV_VAR), years)) if years else {})},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    passed = re.findall(r"PASS (\S+::\S+)", result.stdout)
    assert len(passed) == len(manifest["unit_tests"]), result.stdout[-3000:]
