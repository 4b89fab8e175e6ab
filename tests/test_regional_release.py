"""The regional release reader: the made-up BNS-style wide table (cp1251, ';',
decimal comma, gap markers), the long layouts of the shipped real panels, XLSX,
and the malformed cases that must be refused or quarantined with file, row and
value named."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from dagster_project import settings
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import TOTAL_CODE, FrameCatalog, normalise_label
from dagster_project.ingestion.manifest import ManifestEntry, load_manifest
from dagster_project.ingestion.regional_release.reader import read_release
from dagster_project.ingestion.regional_release.warehouse import read_releases, release_entries, write_releases

FIXTURES = Path(__file__).parent / "fixtures" / "regional"
MADE_UP = FIXTURES / "made_up_kz_bns_wide_employment_2023.csv"


@pytest.fixture(scope="module")
def catalog() -> FrameCatalog:
    frames = [settings.RAW_DIR / "kazakhstan_frame", settings.RAW_DIR / "regional_frames"]
    return FrameCatalog([e for d in frames for e in load_manifest(d)])


@pytest.fixture(scope="module")
def made_up_entry() -> ManifestEntry:
    return load_manifest(FIXTURES)[0]


def _fixture_manifest() -> dict:
    return yaml.safe_load((FIXTURES / "manifest.yml").read_text(encoding="utf-8"))["files"][0]


def write_release(
    tmp_path: Path, data: bytes, file: str = "release.csv", **changes
) -> ManifestEntry:
    """A one-file dataset in tmp_path: the made-up fixture's manifest entry with
    ``changes`` applied and the checksum of ``data``."""
    entry = dict(_fixture_manifest(), file=file, sha256=hashlib.sha256(data).hexdigest())
    entry.update(changes)
    entry = {k: v for k, v in entry.items() if v is not None}
    (tmp_path / file).write_bytes(data)
    (tmp_path / "manifest.yml").write_text(
        yaml.safe_dump({"dataset": "tmp_release", "files": [entry]}, allow_unicode=True),
        encoding="utf-8",
    )
    return load_manifest(tmp_path)[0]


LONG_COLUMNS = ("year", "region", "industry", "measure", "value", "unit")


def write_long_release(tmp_path: Path, csv_text: str, **changes) -> ManifestEntry:
    """A UTF-8, comma-separated long release (one column per LONG_COLUMNS) in
    tmp_path: the made-up fixture's entry switched to the long layout."""
    return write_release(
        tmp_path,
        csv_text.encode("utf-8"),
        encoding="utf-8",
        delimiter=",",
        layout="long",
        header=list(LONG_COLUMNS),
        columns={column: column for column in LONG_COLUMNS},
        header_row=1,
        year=None,
        measure=None,
        unit=None,
        region_column=None,
        note_prefixes=None,
        **changes,
    )


def made_up_text() -> str:
    return MADE_UP.read_bytes().decode("cp1251")


def assert_balanced(result) -> None:
    assert result.records_in == len(result.observations) + len(result.rejected)


# ---------------------------------------------------------------- made-up BNS wide table


def test_made_up_wide_release_resolves_every_cell(made_up_entry, catalog):
    result = read_release(made_up_entry, catalog)
    assert_balanced(result)
    assert result.rejected.empty
    # 11 data rows (republic + 10 regions) × 5 value columns; title lines,
    # the blank line and the closing note are not data.
    assert result.counts["rows_read"] == 11 and result.counts["rows_skipped"] == 2
    assert len(result.observations) == 55
    obs = result.observations.set_index(["region_code", "industry_code"])
    # Names as BNS prints them resolve to КАТО codes, including the 2022 regions
    # in their adjectival Russian form and cities written with 'г.'.
    assert set(obs.index.get_level_values(0)) == {
        TOTAL_CODE,
        "100000000",
        "110000000",
        "190000000",
        "330000000",
        "350000000",
        "620000000",
        "610000000",
        "710000000",
        "750000000",
        "790000000",
    }
    assert set(obs.index.get_level_values(1)) == {TOTAL_CODE, "A", "B", "C", "F"}
    assert (result.observations["economy_code"] == "KZ").all()
    assert (result.observations["classification"] == "OKED_SECTION").all()
    assert result.observations[["year", "measure", "unit"]].drop_duplicates().values.tolist() == [
        [2023, "employment", "thousand_persons"]
    ]


def test_made_up_wide_release_values_match_an_independent_parse(made_up_entry, catalog):
    result = read_release(made_up_entry, catalog)
    # pandas' own CSV reader, told about the same conventions, is the reference.
    reference = pd.read_csv(
        MADE_UP,
        sep=";",
        decimal=",",
        thousands="\u00a0",
        encoding="cp1251",
        skiprows=2,
        nrows=11,
        na_values=["-", "х", "…"],
        keep_default_na=False,
        engine="python",
    ).melt(id_vars="Регион", var_name="source_industry", value_name="expected")
    merged = result.observations.merge(
        reference,
        left_on=["source_region", "source_industry"],
        right_on=["Регион", "source_industry"],
    )
    assert len(merged) == 55
    np.testing.assert_allclose(merged["value"], merged["expected"], equal_nan=True)
    assert merged.loc[merged["source_region"] == "Республика Казахстан", "value"].max() == 1234.5


def test_gap_markers_are_not_zeros(made_up_entry, catalog):
    obs = read_release(made_up_entry, catalog).observations
    gaps = obs[obs["gap_marker"].notna()].set_index("gap_marker")
    assert sorted(gaps.index) == sorted(["-", "х", "…"])
    assert gaps["value"].isna().all()
    assert gaps.loc["х", "region_code"] == "330000000" and gaps.loc["х", "industry_code"] == "B"
    assert obs.loc[obs["gap_marker"].isna(), "value"].notna().all()


def test_made_up_release_through_xlsx_gives_the_same_observations(made_up_entry, catalog, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Занятые"
    for line in made_up_text().splitlines():
        cells = line.split(";") if line else []
        row = []
        for cell in cells:
            # Excel keeps numbers as numbers; gap markers and names stay text.
            try:
                row.append(float(cell.replace("\u00a0", "").replace(",", ".")))
            except ValueError:
                row.append(cell or None)
        sheet.append(row)
    path = tmp_path / "release.xlsx"
    workbook.save(path)
    entry = write_release(tmp_path, path.read_bytes(), file="release.xlsx", sheet="Занятые")
    from_xlsx = read_release(entry, catalog).observations
    from_csv = read_release(made_up_entry, catalog).observations
    columns = ["region_code", "industry_code", "value", "gap_marker"]
    pd.testing.assert_frame_equal(
        from_xlsx[columns].reset_index(drop=True), from_csv[columns].reset_index(drop=True)
    )


# ---------------------------------------------------------------- refused files


def test_cp1251_bytes_declared_utf8_are_refused(tmp_path, catalog):
    entry = write_release(tmp_path, MADE_UP.read_bytes(), encoding="utf-8")
    with pytest.raises(RawFileError, match=r"release\.csv, row 1: declared utf-8.*cp1251"):
        read_release(entry, catalog)


def test_utf8_bytes_declared_cp1251_are_refused(tmp_path, catalog):
    entry = write_release(tmp_path, made_up_text().encode("utf-8"))
    with pytest.raises(RawFileError, match="declared cp1251 but the bytes are UTF-8"):
        read_release(entry, catalog)


def test_changed_file_is_refused_by_checksum(tmp_path, catalog):
    entry = write_release(tmp_path, MADE_UP.read_bytes())
    (tmp_path / entry.file).write_bytes(MADE_UP.read_bytes().replace(b"60,1", b"61,1"))
    with pytest.raises(RawFileError, match="checksum mismatch"):
        read_release(entry, catalog)


def test_header_differing_from_manifest_is_refused(tmp_path, catalog):
    text = made_up_text().replace("Регион;Всего", "Область;Всего")
    entry = write_release(tmp_path, text.encode("cp1251"))
    with pytest.raises(RawFileError, match=r"row 3: header does not match"):
        read_release(entry, catalog)


def test_unsupported_encoding_and_unknown_measure_are_refused(tmp_path, catalog):
    with pytest.raises(RawFileError, match="not supported"):
        read_release(write_release(tmp_path, MADE_UP.read_bytes(), encoding="koi8-r"), catalog)
    with pytest.raises(RawFileError, match="measure 'wages' is not one of"):
        read_release(write_release(tmp_path, MADE_UP.read_bytes(), measure="wages"), catalog)


# ---------------------------------------------------------------- quarantined cells


def _quarantine(tmp_path, catalog, old: str, new: str, **changes):
    text = made_up_text()
    assert old in text
    entry = write_release(tmp_path, text.replace(old, new, 1).encode("cp1251"), **changes)
    result = read_release(entry, catalog)
    assert_balanced(result)
    return result


def test_unknown_region_is_quarantined_with_file_row_and_value(tmp_path, catalog):
    result = _quarantine(tmp_path, catalog, "Абайская область;", "Семипалатинская область;")
    assert len(result.rejected) == 5 and set(result.rejected["source_row"]) == {5}
    reason = result.rejected["reason"].iloc[0]
    assert (
        "file tmp_release/release.csv, row 5, column 'Регион', value 'Семипалатинская область'"
        in reason
    )
    assert "not in frame kz_frame_kato_regions" in reason
    assert json.loads(result.rejected["raw_values"].iloc[0])["Регион"] == "Семипалатинская область"
    assert len(result.observations) == 50


def test_region_not_in_force_that_year_is_quarantined(tmp_path, catalog):
    # South Kazakhstan Region ended in June 2018; a 2023 table cannot contain it,
    # and it must not be read as its successor (Turkistan excludes Shymkent).
    result = _quarantine(tmp_path, catalog, "Туркестанская область;", "Южно-Казахстанская область;")
    assert set(result.rejected["source_row"]) == {11}
    assert (
        "is 510000000, which is not in force on 31 December 2023"
        in result.rejected["reason"].iloc[0]
    )


def test_unparseable_number_is_quarantined_cell_by_cell(tmp_path, catalog):
    result = _quarantine(tmp_path, catalog, ";12,3;", ";12,3,4;")
    assert len(result.rejected) == 1
    reason = result.rejected["reason"].iloc[0]
    assert "row 5, column 'Сельское, лесное и рыбное хозяйство', value '12,3,4'" in reason
    assert len(result.observations) == 54


def test_unknown_activity_column_quarantines_its_cells(tmp_path, catalog):
    text = made_up_text().replace(";Строительство", ";Промышленность")
    header = _fixture_manifest()["header"][:-1] + ["Промышленность"]
    entry = write_release(tmp_path, text.encode("cp1251"), header=header)
    result = read_release(entry, catalog)
    assert_balanced(result)
    assert len(result.rejected) == 11
    assert result.rejected["reason"].str.contains("industry 'Промышленность' is not in frame").all()


def test_short_row_and_duplicate_region_are_quarantined(tmp_path, catalog):
    text = made_up_text()
    text = text.replace("г.Шымкент;140,0;1,5;0,3;14,4;11,1", "г.Шымкент;140,0;1,5")
    text = text.replace("г. Алматы;", "г.Астана;")
    entry = write_release(tmp_path, text.encode("cp1251"))
    result = read_release(entry, catalog)
    assert_balanced(result)
    short = result.rejected[result.rejected["reason"].str.contains("expected 6 fields, found 3")]
    assert list(short["source_row"]) == [14]
    duplicates = result.rejected[result.rejected["reason"].str.contains("duplicate observation")]
    assert sorted(set(duplicates["source_row"])) == [12, 13] and len(duplicates) == 10
    assert "710000000" not in set(result.observations["region_code"])


# ---------------------------------------------------------------- long layouts


def test_long_layout_with_measure_value_unit_columns(tmp_path, catalog):
    csv_text = (
        "year,region,industry,measure,value,unit\n"
        '2023,Абайская область,A,Численность занятых,"12,3",thousand_persons\n'
        "2023,Абай облысы,B,employment,-,thousand_persons\n"
        '2023,Abai Region,C,headcount,"1,0",thousand_persons\n'
    )
    entry = write_long_release(
        tmp_path, csv_text, measure_labels={"Численность занятых": "employment"}
    )
    result = read_release(entry, catalog)
    assert_balanced(result)
    assert result.observations[
        ["region_code", "industry_code", "measure", "value"]
    ].values.tolist()[0] == [
        "100000000",
        "A",
        "employment",
        12.3,
    ]
    markers = result.observations["gap_marker"]
    assert markers.isna().tolist() == [True, False] and markers.iloc[1] == "-"
    assert np.isnan(result.observations["value"].iloc[1])
    assert "measure 'headcount' is not one of" in result.rejected["reason"].iloc[0]


def test_shipped_real_panels_balance_and_quarantine_only_non_members():
    combined = read_releases(
        release_entries(settings.dataset_dirs()),
        FrameCatalog.from_dataset_dirs(settings.dataset_dirs()),
    )
    for result in combined.results:
        assert_balanced(result)
    assert (
        combined.counts["records_in"]
        == combined.counts["observations"] + combined.counts["quarantined"]
    )
    # Iceland and Norway are in the Eurostat extract but not in the EU-28.
    rejected_geo = {json.loads(v)["geo"] for v in combined.rejected["raw_values"]}
    assert rejected_geo == {"IS", "NO"} and len(combined.rejected) == 200
    obs = combined.observations
    by_panel = obs.groupby(["economy_code", "classification", "measure"]).size().to_dict()
    assert by_panel == {
        ("DE", "WZ2008_SECTION", "employment"): 16 * 17,
        ("DE", "WZ2008_SECTION", "firms"): 16 * 17,
        # 17 "regions" (16 Länder + Germany) × 12 groups (10 + C + total) × 7 years
        ("DE", "NACE_A10", "employment"): 17 * 12 * 7,
        ("EU28", "NACE_A10", "employment"): 28 * 10 * 10,
    }
    # The German totals printed in the panel are kept under TOTAL, not dropped.
    de_groups = obs[obs["classification"] == "NACE_A10"]
    assert (de_groups["region_code"] == TOTAL_CODE).sum() == 12 * 7
    assert (de_groups["industry_code"] == TOTAL_CODE).sum() == 17 * 7


# ---------------------------------------------------------------- warehouse write


def test_write_replaces_observations_and_this_loaders_quarantine(made_up_entry, catalog, tmp_path):
    result_entry = write_release(
        tmp_path, made_up_text().replace("Абайская", "Неизвестная").encode("cp1251")
    )
    combined = read_releases([made_up_entry, result_entry], catalog)
    connection = duckdb.connect(":memory:")
    connection.execute("create schema quality")
    connection.execute(
        "create table quality.rejected_rows (source_file varchar, source_row bigint, "
        "raw_values varchar, reason varchar, rejected_at timestamp)"
    )
    connection.execute(
        "insert into quality.rejected_rows values ('other/file.csv', 1, '{}', 'kept', now())"
    )
    for _ in range(2):  # a second load replaces, never appends
        counts = write_releases(connection, combined)
    assert counts["records_in"] == counts["observations"] + counts["quarantined"]
    # the two files overlap on every region but the unknown one: all those keys conflict
    observed = connection.execute("select count(*) from raw.regional_observations").fetchone()[0]
    rejected = connection.execute(
        "select count(*) from quality.rejected_rows where source_file <> 'other/file.csv'"
    ).fetchone()[0]
    assert observed == counts["observations"] and rejected == counts["quarantined"]
    assert connection.execute(
        "select reason from quality.rejected_rows where source_file = 'other/file.csv'"
    ).fetchall() == [("kept",)]
    types = dict(
        connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'regional_observations'"
        ).fetchall()
    )
    assert types["value"] == "DOUBLE" and types["year"] == "INTEGER"


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("printed", "frame_label"),
    [
        ("Baden-Wuerttemberg", "Baden-Württemberg"),
        ("  г.Алматы ", "г. Алматы"),
        ("Туркестанская область1)", "Туркестанская область"),
        ("Жетысуская область*", "Жетысуская область"),
        ("Сельское, лесное и рыбное хозяйство²", "Сельское,лесное и рыбное хозяйство"),
        ("Handel, Gastgewerbe, Verkehr (G–I)", "Handel, Gastgewerbe, Verkehr (G-I)"),
    ],
)
def test_normalise_label_ignores_print_variants(printed, frame_label):
    assert normalise_label(printed) == normalise_label(frame_label)


def test_kazakhstan_frame_has_the_units_of_each_period(catalog):
    regions = catalog.frame("kz_frame_kato_regions", "region", "KZ", None)

    def in_force(year):
        return {c for c in regions.validity if regions.resolve(c, year).code is not None}

    # 14 oblasts + 2 cities before 2018; + Shymkent from 2018; + 3 oblasts from 2022.
    assert len(in_force(2017)) == 16 and "510000000" in in_force(2017)
    assert len(in_force(2018)) == 17 and {"610000000", "790000000"} <= in_force(2018)
    assert len(in_force(2021)) == 17
    assert len(in_force(2022)) == 20 and {"100000000", "330000000", "620000000"} <= in_force(2022)


# ---------------------------------------------------------------- Dagster asset


@pytest.mark.slow
def test_regional_asset_materializes_into_the_build_warehouse(tmp_path):
    import dagster as dg

    from dagster_project.defs.regional import REGIONAL_OBSERVATIONS, defs
    from dagster_project.resources import WarehouseResource

    published = tmp_path / "klaster.duckdb"
    warehouse = WarehouseResource(published_path=str(published))
    asset = next(a for a in defs.assets if REGIONAL_OBSERVATIONS in a.keys)
    result = dg.materialize([asset], resources={"warehouse": warehouse})
    assert result.success
    metadata = result.asset_materializations_for_node(asset.node_def.name)[0].metadata
    assert (
        metadata["records_in"].value
        == metadata["dagster/row_count"].value + metadata["quarantined"].value
    )
    with duckdb.connect(str(warehouse.build), read_only=True) as connection:
        rows = connection.execute("select count(*) from raw.regional_observations").fetchone()[0]
        quarantined = connection.execute("select count(*) from quality.rejected_rows").fetchone()[0]
    assert rows == metadata["dagster/row_count"].value and quarantined == 200


def test_negative_employment_is_quarantined(tmp_path, catalog):
    text = made_up_text().replace("г.Шымкент;140,0;", "г.Шымкент;-140,0;")
    result = read_release(write_release(tmp_path, text.encode("cp1251")), catalog)
    assert_balanced(result)
    assert len(result.rejected) == 1
    reason = result.rejected["reason"].iloc[0]
    assert "column 'Всего', value '-140,0': negative employment" in reason


def test_bom_before_a_utf8_release_is_not_part_of_the_header(tmp_path, catalog):
    data = ("\ufeff" + made_up_text()).encode("utf-8")
    result = read_release(write_release(tmp_path, data, encoding="utf-8"), catalog)
    assert_balanced(result)
    assert len(result.rejected) == 0 and len(result.observations) == 55


def test_mixed_units_of_one_measure_are_quarantined(tmp_path, catalog):
    csv_text = (
        "year,region,industry,measure,value,unit\n"
        '2023,Абайская область,A,employment,"12,3",thousand_persons\n'
        '2023,Абайская область,B,employment,"4,0",thousand_persons\n'
        "2023,Абайская область,C,employment,5500,persons\n"
    )
    entry = write_long_release(tmp_path, csv_text)
    result = read_release(entry, catalog)
    assert_balanced(result)
    assert result.observations["industry_code"].tolist() == ["A", "B"]
    assert result.rejected["source_row"].tolist() == [4]
    assert "value 'persons': mixed units for measure 'employment'" in result.rejected["reason"].iloc[0]
