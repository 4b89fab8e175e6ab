"""The workbook module's refusals, exercised through the dynamic-table layout:
each broken file is refused with a message naming the file and, where it
applies, the sheet and cell. Files are built in tmp_path; nothing is refreshed."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from dagster_project.ingestion.bns.layouts import ReaderContext, read_release, release_entries
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.workbook import open_workbook


@pytest.fixture(scope="module")
def entries() -> dict:
    return {e.raw_table: e for e in release_entries()}


@pytest.fixture(scope="module")
def context() -> ReaderContext:
    return ReaderContext.from_settings()


def _entry_for(entry, path: Path):
    return dataclasses.replace(entry, path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def test_an_xls_under_an_xlsx_name_is_read_by_its_bytes(tmp_path, entries):
    source = entries["bns_gdp_by_activity_current_prices"].path
    disguised = tmp_path / "gdp.xlsx"
    shutil.copyfile(source, disguised)
    workbook = open_workbook(disguised, "kazakhstan_bns/gdp.xlsx")
    assert workbook.format == "xls"
    assert sum(1 for sheet in workbook.sheets.values() for _ in sheet.non_empty()) > 100


def test_an_html_page_named_xlsx_is_refused(tmp_path, entries, context):
    page = tmp_path / "employment.xlsx"
    page.write_text("<!DOCTYPE html><html><body><table><tr><td>8029.3</td></tr></table></body></html>")
    with pytest.raises(RawFileError) as error:
        read_release(_entry_for(entries["bns_employment_by_region"], page), context)
    assert "kazakhstan_bns/employed_population_by_region_2001_2024.xlsx" in str(error.value)
    assert "HTML" in str(error.value) and "not a workbook" in str(error.value)


def _formula_workbook(path: Path, formula: str) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Regions_quarter"
    sheet["B2"], sheet["B3"], sheet["B4"] = 1.5, 2.25, formula  # openpyxl saves no value for B4
    workbook.save(path)
    return path


def test_a_formula_without_saved_value_is_evaluated(tmp_path):
    path = _formula_workbook(tmp_path / "sum.xlsx", "=B2+B3")
    sheet = open_workbook(path, "kazakhstan_bns/sum.xlsx").sheet("Regions_quarter")
    assert sheet.value(4, 2) == pytest.approx(3.75)
    assert sheet.evaluated[(4, 2)] == "=B2+B3"


def test_a_formula_that_cannot_be_evaluated_is_refused_naming_sheet_and_cell(tmp_path):
    path = _formula_workbook(tmp_path / "lookup.xlsx", "=VLOOKUP(B2,A1:B3,2,FALSE)")
    with pytest.raises(RawFileError) as error:
        open_workbook(path, "kazakhstan_bns/lookup.xlsx")
    message = str(error.value)
    assert "kazakhstan_bns/lookup.xlsx" in message
    assert "sheet 'Regions_quarter' cell B4" in message and "VLOOKUP" in message


def test_a_truncated_workbook_is_refused(tmp_path, entries, context):
    entry = entries["bns_employment_by_region"]
    data = entry.path.read_bytes()
    truncated = tmp_path / entry.file
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(RawFileError) as error:
        read_release(_entry_for(entry, truncated), context)
    assert entry.relative_path in str(error.value) and "truncated or damaged" in str(error.value)


def test_a_changed_file_is_refused_by_its_checksum(tmp_path, entries, context):
    entry = entries["bns_employment_by_region"]
    copy = tmp_path / entry.file
    copy.write_bytes(entry.path.read_bytes() + b"\0")
    with pytest.raises(RawFileError, match="checksum mismatch"):
        read_release(dataclasses.replace(entry, path=copy), context)


def test_a_sheet_the_manifest_names_but_the_file_lacks_is_refused(entries, context):
    entry = entries["bns_employment_by_region"]
    params = dict(entry.extra["dynamic_table"])
    params["sheets"] = [*params["sheets"], {**params["sheets"][0], "sheet": "Regions_annual"}]
    missing = dataclasses.replace(entry, extra={**entry.extra, "dynamic_table": params})
    with pytest.raises(RawFileError) as error:
        read_release(missing, context)
    assert "sheet 'Regions_annual' is missing" in str(error.value)
    assert "Regions_quarter" in str(error.value)  # the sheets the workbook does have


def test_a_renamed_sheet_is_refused_naming_the_sheet(tmp_path, entries, context):
    entry = entries["bns_employment_by_region"]
    copy = tmp_path / entry.file
    shutil.copyfile(entry.path, copy)
    workbook = openpyxl.load_workbook(copy)
    workbook["Regions_quarter"].title = "Regions_quarterly"
    workbook.save(copy)
    with pytest.raises(RawFileError) as error:
        read_release(_entry_for(entry, copy), context)
    message = str(error.value)
    assert entry.relative_path in message
    assert "sheet 'Regions_quarter' is missing" in message and "Regions_quarterly" in message
