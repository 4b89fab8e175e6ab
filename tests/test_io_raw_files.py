"""The shipped input-output files: they load through the manifest (checksum,
header, numbers, keys), the layout describes every printed row and column,
every registered table assembles and balances, and deliberately broken
copies (made in tmp_path) fail with messages naming the table and rows."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dagster_project.ingestion.manifest import load_manifest
from dagster_project.ingestion.text_table import read_text_table
from dagster_project.methods import input_output as iom
from dagster_project.methods import supply_use as su
from tests.methods.reference_cells import cells_from_text_table

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
IO_DIR = RAW / "io"
TOLERANCE = 0.01


@pytest.fixture(scope="module")
def entries() -> dict:
    return {e.raw_table: e for e in load_manifest(IO_DIR)}


@pytest.fixture(scope="module")
def frames(entries) -> dict[str, pd.DataFrame]:
    return {name: read_text_table(entry) for name, entry in entries.items()}


@pytest.fixture(scope="module")
def layout(frames) -> pd.DataFrame:
    return frames["io_table_layout"].astype(str)


@pytest.fixture(scope="module")
def register(frames) -> pd.DataFrame:
    # Kazakhstan's tables are built from the BNS releases, not from text files in this
    # folder: tests/test_kz_input_output.py assembles them.
    register = frames["io_tables"].astype(str).replace({"": None})
    return register[register["economy_code"] != "KZ"]


def _all_cells(frames, layout) -> pd.DataFrame:
    parts = []
    for name in layout["raw_table"].unique():
        cells = cells_from_text_table(frames[name], layout[layout["raw_table"] == name])
        parts.append(cells.assign(source_table=name))
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def tables(frames, layout, register) -> dict[str, su.SymmetricTable]:
    return su.assemble_tables(_all_cells(frames, layout), register, relative_tolerance=TOLERANCE)


# --------------------------------------------------------------------------- #
# loading
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("dataset", ["io", "io_reference", "io_crosswalks"])
def test_every_manifest_entry_loads(dataset):
    for entry in load_manifest(RAW / dataset):
        frame = read_text_table(entry)
        assert len(frame) > 0, entry.file
        assert entry.extra.get("source"), f"{entry.file}: no source"
        assert entry.extra.get("licence"), f"{entry.file}: no licence"
        assert entry.extra.get("generated") is False, f"{entry.file}: generated flag"


def test_manifest_names_economy_year_kind_unit_and_layout_for_each_table_file(entries):
    for name, entry in entries.items():
        if name in ("io_table_layout", "io_tables", "io_kz_bns_layout"):  # registers, not tables
            continue
        extra = entry.extra
        assert extra["economy_code"] in {"DE", "NL", "BE", "US", "AU"}, name
        assert extra["table_kind"] in {"symmetric", "make", "use"}, name
        assert isinstance(extra["year"], int) and extra["unit"] and extra["layout"], name


def test_miller_blair_reference_has_unique_cells():
    entry = next(
        e
        for e in load_manifest(RAW / "io_reference")
        if e.raw_table == "io_reference_miller_blair_2x2"
    )
    frame = read_text_table(entry)
    assert not frame.duplicated(["item", "row", "col"]).any()


# --------------------------------------------------------------------------- #
# the layout describes the files
# --------------------------------------------------------------------------- #
def test_layout_covers_every_printed_row_and_column(frames, layout):
    for name in layout["raw_table"].unique():
        frame = frames[name]
        part = layout[layout["raw_table"] == name]
        rows = part[part["axis"] == "row"]
        cols = part[part["axis"] == "column"]
        assert sorted(rows["position"].astype(int)) == sorted(frame["_source_row"].astype(int)), (
            name
        )
        label_column = frame.columns[0]
        printed = frame.set_index(frame["_source_row"].astype(int))[label_column]
        labelled = rows[rows["source_label"] != ""]
        for line, label in zip(labelled["position"].astype(int), labelled["source_label"]):
            assert printed.loc[line] == label, f"{name} line {line}"
        value_columns = [c for c in frame.columns if c != "_source_row"]
        described = set(cols["source_label"])
        label_columns = {c for c in value_columns if c not in described}
        assert len(label_columns) <= 5, f"{name}: undescribed columns {label_columns}"


def test_gap_markers_are_kept_apart_from_zeros(frames, layout):
    cells = _all_cells(frames, layout)
    bea = cells[cells["source_table"].str.startswith("io_us_")]
    suppressed = bea[bea["value_status"] == su.SUPPRESSED]
    assert len(suppressed) > 0 and suppressed["value"].isna().all()
    au = cells[cells["source_table"] == "io_au_2021_supply_114"]
    assert (au["value_status"] == su.NOT_PUBLISHED).sum() == 37
    assert au.loc[au["value_status"] == su.NOT_PUBLISHED, "value"].isna().all()


# --------------------------------------------------------------------------- #
# every registered table assembles and balances
# --------------------------------------------------------------------------- #
def test_tables_assemble_with_expected_sizes(tables):
    sizes = {table_id: (t.n, int((t.x > 0).sum())) for table_id, t in tables.items()}
    assert sizes == {
        "de_1995": (6, 6),
        "nl_2000": (6, 6),
        "be_2020": (50, 47),
        "us_2021_15": (15, 15),
        "us_2021_71": (71, 71),
        "au_2021_114": (114, 114),
    }


def test_enforced_balances_hold_within_tolerance(tables):
    for table_id, table in tables.items():
        enforced = {k: v for k, v in table.balance.items() if k != "derived_row_gap"}
        assert enforced, table_id
        # A relative gap above the tolerance only passes on rounding of a tiny total.
        assert max(enforced.values()) < 0.05, table_id


def test_imputed_confidential_cells_restore_the_published_totals(frames, layout):
    name = "io_au_2021_supply_114"
    cells = cells_from_text_table(frames[name], layout[layout["raw_table"] == name])
    products = cells[(cells["row_role"] == "product") & (cells["column_role"] == "industry")]
    values = products.pivot(index="row_code", columns="column_code", values="value")
    mask = values.isna().to_numpy()
    totals = cells[cells["column_role"] == "product_output_total"].set_index("row_code")["value"]
    industry = cells[cells["row_role"] == "industry_supply_total"].set_index("column_code")["value"]
    imputed = su.impute_from_totals(
        values.to_numpy(),
        mask,
        totals.loc[values.index].to_numpy(),
        industry.loc[values.columns].to_numpy(),
    )
    np.testing.assert_allclose(imputed.sum(axis=1), totals.loc[values.index], rtol=1e-9)
    np.testing.assert_allclose(imputed.sum(axis=0), industry.loc[values.columns], rtol=1e-9)
    assert (imputed[mask] > 0).all()


def test_every_table_has_a_productive_leontief_model(tables):
    for table_id, table in tables.items():
        keep = table.x > 0
        labels = [code for code, k in zip(table.labels, keep) if k]
        result = iom.analyse_table(
            table.Z[np.ix_(keep, keep)], table.x[keep], labels, table=table_id
        )
        assert (result.L >= -1e-12).all() and (np.diag(result.L) >= 1).all(), table_id


# --------------------------------------------------------------------------- #
# deliberately broken copies
# --------------------------------------------------------------------------- #
def _copy_with_edit(tmp_path: Path, raw_table: str, edit) -> pd.DataFrame:
    """Copy the file of ``raw_table`` into tmp_path, apply ``edit`` to its
    parsed rows, write it back, register it in a manifest there, and read it
    through the loader (so the broken copy passes checksum and header)."""
    manifest = yaml.safe_load((IO_DIR / "manifest.yml").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["files"] if e["raw_table"] == raw_table)
    target = tmp_path / "io"
    target.mkdir(exist_ok=True)
    shutil.copy(IO_DIR / entry["file"], target / entry["file"])
    text = (target / entry["file"]).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    (target / entry["file"]).write_bytes(data)
    entry = {**entry, "sha256": hashlib.sha256(data).hexdigest()}
    (target / "manifest.yml").write_text(
        yaml.safe_dump({"dataset": "io", "files": [entry]}, allow_unicode=True), encoding="utf-8"
    )
    return read_text_table(load_manifest(target)[0])


def _set(rows: list[list[str]], row_label: str, column: str, value: str) -> None:
    j = rows[0].index(column)
    for row in rows[1:]:
        if row and row[0] == row_label:
            row[j] = value
            return
    raise KeyError(row_label)


def test_unbalanced_copy_fails_naming_table_and_row(tmp_path, layout):
    # Construction's sales to agriculture printed as 4 260 instead of 426.
    frame = _copy_with_edit(
        tmp_path, "io_de_1995_siot", lambda rows: _set(rows, "CPA_F", "agriculture_group", "4260")
    )
    cells = cells_from_text_table(frame, layout[layout["raw_table"] == "io_de_1995_siot"])
    with pytest.raises(su.TableBalanceError, match=r"'de_1995'.*row balance.*CPA_F") as err:
        su.symmetric_from_cells("de_1995", cells, relative_tolerance=TOLERANCE)
    assert [o.split(":")[0] for o in err.value.offending] == ["CPA_F"]


def test_negative_output_copy_fails_naming_the_industry(tmp_path, layout):
    frame = _copy_with_edit(
        tmp_path, "io_de_1995_siot", lambda rows: _set(rows, "P1", "construction", "-245606")
    )
    cells = cells_from_text_table(frame, layout[layout["raw_table"] == "io_de_1995_siot"])
    with pytest.raises(su.TableBalanceError, match=r"'de_1995'.*output.*CPA_F: output -245606"):
        su.symmetric_from_cells("de_1995", cells, relative_tolerance=TOLERANCE)


def test_unbalanced_bea_use_copy_names_the_product(tmp_path, entries, frames, layout):
    frame = _copy_with_edit(
        tmp_path,
        "io_us_2021_use_15",
        lambda rows: _set(rows, "Mining", "Total use of products", "940031"),
    )
    supply = cells_from_text_table(
        frames["io_us_2021_supply_15"], layout[layout["raw_table"] == "io_us_2021_supply_15"]
    )
    use = cells_from_text_table(frame, layout[layout["raw_table"] == "io_us_2021_use_15"])
    with pytest.raises(
        su.TableBalanceError, match=r"'us_2021_15'.*use row balance.*21: published 940,031"
    ):
        su.symmetric_from_supply_use("us_2021_15", supply, use, relative_tolerance=TOLERANCE)


def test_singular_copy_fails_naming_table_and_industry(frames, layout):
    """Agriculture made to buy only from itself, its whole output: column A of
    I - A becomes zero. The copy keeps every balance (final demand and primary
    inputs absorb the changes), so it is the Leontief step that refuses it."""
    cells = cells_from_text_table(
        frames["io_de_1995_siot"], layout[layout["raw_table"] == "io_de_1995_siot"]
    )
    table = su.symmetric_from_cells("de_1995", cells, relative_tolerance=TOLERANCE)
    Z = table.Z.copy()
    Z[:, 0] = 0.0
    Z[0, 0] = table.x[0]
    with pytest.raises(iom.IOModelError, match=r"'de_1995'.*singular.*CPA_A"):
        iom.analyse_table(Z, table.x, table.labels, table="de_1995")
