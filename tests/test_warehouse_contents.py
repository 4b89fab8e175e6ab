"""The row-for-row comparison that proves a refresh or a restructuring left
the marts as they were must itself see a change."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.warehouse_contents import contents, differences, main


def _warehouse(path: Path, multiplier: float, extra_row: bool = False) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts; create schema quality; create schema raw")
        connection.execute(
            "create table marts.fct_multipliers as select * from (values "
            "('KZ', 'B', ?::double, now()), ('KZ', 'C', 2.5, now())) t(economy, industry, output, built_at)",
            [multiplier],
        )
        if extra_row:
            connection.execute("insert into marts.fct_multipliers values ('KZ', 'D', 1.0, now())")
        # Not compared: raw tables are inputs, not what the warehouse computed.
        connection.execute("create table raw.scratch as select random() as r")
    return path


def test_equal_warehouses_compare_equal_despite_timestamps_and_last_bits(tmp_path: Path) -> None:
    first = _warehouse(tmp_path / "a.duckdb", 1.806)
    second = _warehouse(tmp_path / "b.duckdb", 1.806 * (1 + 1e-15))
    assert list(contents(first)) == ["marts.fct_multipliers"]
    assert differences(contents(first), contents(second)) == []
    assert main([str(first), str(second)]) == 0


def test_a_changed_value_and_a_missing_row_are_named(tmp_path: Path) -> None:
    first = contents(_warehouse(tmp_path / "a.duckdb", 1.806))
    changed = contents(_warehouse(tmp_path / "b.duckdb", 1.807))
    longer = contents(_warehouse(tmp_path / "c.duckdb", 1.806, extra_row=True))
    (found,) = differences(first, changed)
    assert found.startswith("marts.fct_multipliers: first differing row ('KZ', 'B', 1.806)")
    assert differences(first, longer) == ["marts.fct_multipliers: 2 rows against 3"]
    assert differences(first, {}) == ["only in the first: marts.fct_multipliers"]
