"""The full ОКЭД list: read as published (checked against json.load of the same
file), and its structural checks hold or fail for the reason they name."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from dagster_project import settings
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.manifest import load_manifest
from dagster_project.ingestion.oked import check_oked, read_oked

OKED_DIR = settings.RAW_DIR / "kazakhstan_oked"
LEVEL_NAMES = {"секция": "section", "раздел": "division", "группа": "group", "класс": "class", "подкласс": "subclass"}


@pytest.fixture(scope="module")
def entry():
    return load_manifest(OKED_DIR)[0]


@pytest.fixture(scope="module")
def frame():
    catalog = FrameCatalog.from_dataset_dirs([settings.RAW_DIR / "kazakhstan_frame"])
    return catalog.table("kz_frame_oked_sections"), catalog.table("kz_frame_oked_divisions")


@pytest.fixture(scope="module")
def published() -> list[dict]:
    return json.loads((OKED_DIR / "oked_full.json").read_text(encoding="utf-8"))


def _checks(oked, entry, frame) -> dict:
    return {c.name: c for c in check_oked(oked, entry, *frame)}


def _entry_for(entry, path: Path):
    return dataclasses.replace(entry, path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def test_every_record_is_loaded_as_published_in_its_order(entry, published) -> None:
    oked = read_oked(entry)
    assert len(oked) == len(published) == 2097
    for row, record in zip(oked.to_dict("records"), published, strict=True):
        assert (row["code"], row["level_ru"], row["title_ru"], row["description_ru"], row["section_code"]) == (
            record["code"], record["level"], record["name"], record["description"], record["section"])
        assert row["level"] == LEVEL_NAMES[record["level"]]
        assert ("" if pd.isna(row["parent_code"]) else row["parent_code"]) == record["parent"]
    assert list(oked["_source_row"]) == list(range(1, 2098))
    # section titles stay in the capitals of the file
    assert oked.loc[oked["code"] == "A", "title_ru"].item() == "СЕЛЬСКОЕ, ЛЕСНОЕ И РЫБНОЕ ХОЗЯЙСТВО"


def test_counts_per_level_are_those_the_source_states(entry, frame) -> None:
    checks = _checks(read_oked(entry), entry, frame)
    assert checks["level_counts"].passed
    assert checks["level_counts"].observed == {"section": 21, "division": 88, "group": 272, "class": 614,
                                               "subclass": 1102}


def test_a_count_the_file_does_not_match_fails_and_names_the_level(entry, frame) -> None:
    stated = dataclasses.replace(entry, extra={**entry.extra, "expected_counts": {
        **entry.extra["expected_counts"], "class": 615}})
    check = _checks(read_oked(entry), stated, frame)["level_counts"]
    assert not check.passed
    assert check.problems == ("class: 614 records, the source states 615",)


def test_the_one_missing_parent_of_the_published_list_is_found(entry, frame, published) -> None:
    codes = {r["code"] for r in published}
    missing_parents = {r["parent"] for r in published if r["parent"] and r["parent"] not in codes}
    assert missing_parents == {"2712"}  # independent reading: class 27.12 is absent from the file
    check = _checks(read_oked(entry), entry, frame)["parents_exist"]
    assert not check.passed
    assert check.problems == ("subclass '27120' (position 684): parent '2712' is not in the list",)


def test_codes_are_unique_and_a_duplicate_is_reported(entry, frame, published, tmp_path) -> None:
    assert _checks(read_oked(entry), entry, frame)["unique_codes"].passed
    path = tmp_path / "oked_full.json"
    path.write_text(json.dumps(published + [published[1]], ensure_ascii=False), encoding="utf-8")
    check = _checks(read_oked(_entry_for(entry, path)), entry, frame)["unique_codes"]
    assert not check.passed
    assert check.problems == ("code '01' at positions [2, 2098]",)


def test_sections_and_divisions_agree_with_the_frame_and_a_gap_is_named(entry, frame) -> None:
    oked = read_oked(entry)
    assert _checks(oked, entry, frame)["frame_agreement"].passed
    sections, divisions = frame
    check = _checks(oked, entry, (sections, divisions[divisions["industry_code"] != "99"]))["frame_agreement"]
    assert check.problems == ("division '99' is in the list but not in the frame",)


def test_a_changed_file_or_an_unknown_level_is_refused(entry, published, tmp_path) -> None:
    tampered = dataclasses.replace(entry, sha256="0" * 64)
    with pytest.raises(RawFileError, match="sha256"):
        read_oked(tampered)
    path = tmp_path / "oked_full.json"
    records = [dict(r) for r in published[:3]]
    records[2]["level"] = "подгруппа"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RawFileError, match=r"row 3, column 'level', value 'подгруппа': unknown level"):
        read_oked(_entry_for(entry, path))


def test_the_asset_loads_the_list_and_records_each_check(warehouse_env) -> None:
    import dagster as dg
    import duckdb

    from dagster_project.defs.geography import build_oked_asset
    from dagster_project.resources import WarehouseResource

    entry = load_manifest(OKED_DIR)[0]
    result = dg.materialize([build_oked_asset(entry)], resources={"warehouse": WarehouseResource()})
    verdicts = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert verdicts == {"level_counts": True, "unique_codes": True, "parents_exist": False, "frame_agreement": True}
    build = warehouse_env.with_name(warehouse_env.name + ".build")
    with duckdb.connect(str(build), read_only=True) as connection:
        assert connection.execute(
            "select count(*), count(*) filter (parent_code is null), count(distinct _source_sha256) "
            "from raw.kz_oked_full").fetchone() == (2097, 21, 1)
        rows = connection.execute(
            "select check_name, indicator, observed, expected, passed from quality.check_results "
            "where table_id = 'kz_oked_full' order by all").fetchall()
    assert ("level_counts", "subclass", 1102.0, 1102.0, True) in rows
    assert ("parents_exist", None, 1.0, 0.0, False) in rows
    assert len(rows) == 5 + 3
