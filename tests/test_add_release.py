"""``klaster add-release``: a shipped release copied under a new name is
recognised in its layout, gets an entry with the same layout parameters and
checksum, and its dry run reports what the reader reads, while the published
warehouse stays byte for byte as it was.

The command runs in a subprocess because ``settings`` reads ``KLASTER_RAW_DIR``
at import. Two kinds of layout: the stub of ``tests/bns_stub_layout.py`` (the
mechanics, independent of the real readers) and the real readers of the
shipped releases (skipped while a reader is still a placeholder)."""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest
import yaml

from dagster_project import settings
from dagster_project.ingestion.bns import add_release
from dagster_project.ingestion.bns.layouts import LAYOUTS, ReaderContext, read_release
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import load_manifest

SHIPPED_RAW = settings.PROJECT_ROOT / "data" / "raw"
BNS = "kazakhstan_bns"
STUB = "tests.bns_stub_layout"
STUB_SHEETS = {"bns_employment_by_region": ["Regions_quarter"],
               "bns_employment_by_activity_region": ["TEA_regions"]}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(raw_dir: Path) -> dict:
    return yaml.safe_load((raw_dir / BNS / "manifest.yml").read_text(encoding="utf-8"))


def _entry_of(raw_dir: Path, raw_table: str) -> dict:
    return next(f for f in _manifest(raw_dir)["files"] if f["raw_table"] == raw_table)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """The BNS releases and the frame their readers resolve against (nothing
    else: other datasets are not read by add-release)."""
    raw = tmp_path / "raw"
    for dataset in (BNS, "kazakhstan_frame"):
        shutil.copytree(SHIPPED_RAW / dataset, raw / dataset)
    return raw


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A published warehouse that must come out byte-identical."""
    path = tmp_path / "warehouse" / "klaster.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table marker as select 42 as answer")
    return path


def _run(raw_dir: Path, published: Path, *args: str, stub: bool = False) -> subprocess.CompletedProcess:
    patch = f"layouts.LAYOUTS['bns_dynamic_table'] = {STUB!r}; " if stub else ""
    script = (
        "import sys; from dagster_project.ingestion.bns import layouts; " + patch
        + "from dagster_project.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    env = {**os.environ, settings.RAW_DIR_ENV_VAR: str(raw_dir), settings.WAREHOUSE_ENV_VAR: str(published)}
    return subprocess.run([sys.executable, "-c", script, "add-release", *args], cwd=settings.PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=600)


def _facts_reported(stdout: str) -> int:
    match = re.search(r"would load (\d+) facts", stdout)
    assert match, stdout
    return int(match.group(1))


def _stub_manifest(raw_dir: Path) -> None:
    """The copied manifest with the stub's one parameter on the employment entries."""
    path = raw_dir / BNS / "manifest.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in document["files"]:
        if entry["raw_table"] in STUB_SHEETS:
            entry["sheets"] = STUB_SHEETS[entry["raw_table"]]
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _stub_fact_count(raw_dir: Path, raw_table: str) -> int:
    """Independent count: the stub reader on the shipped entry, in this process."""
    stub = importlib.import_module(STUB)
    entry = next(e for e in load_manifest(raw_dir / BNS) if e.raw_table == raw_table)
    from dagster_project.ingestion.workbook import open_workbook

    return len(stub.read(entry, open_workbook(entry.path, entry.relative_path, entry.sha256), None).facts)


# -- pure parts ---------------------------------------------------------------

def test_default_raw_table_is_an_identifier_and_unique():
    assert add_release.default_raw_table("Employed 2025 (Q1).xlsx", set()) == "bns_employed_2025_q1"
    taken = {"bns_employed_2025_q1", "bns_employed_2025_q1_2"}
    assert add_release.default_raw_table("employed_2025_q1.xlsx", taken) == "bns_employed_2025_q1_3"


def test_candidate_keeps_layout_parameters_and_drops_release_description():
    template = {"raw_table": "a", "file": "a.xlsx", "sha256": "0" * 64, "layout": "bns_dynamic_table",
                "sheets": ["S"], "title": {"en": "A"}, "origin": {"repository": "r"},
                "territorial_basis": {"basis": "b", "back_cast_to": 2018}, "units": "persons"}
    raw = add_release.candidate(template, "b.xlsx", "1" * 64, "bns_b")
    assert raw["raw_table"] == "bns_b" and raw["file"] == "b.xlsx" and raw["sha256"] == "1" * 64
    assert raw["sheets"] == ["S"] and raw["units"] == "persons" and raw["layout"] == "bns_dynamic_table"
    assert "title" not in raw and "origin" not in raw
    assert raw["territorial_basis"]["back_cast_to"] == 2018
    raw["sheets"].append("T")
    assert template["sheets"] == ["S"], "the template must not be changed through the candidate"


@pytest.mark.parametrize("restyled", [False, True], ids=["shipped_style", "unindented_list"])
def test_append_entry_keeps_comments_and_refuses_a_manifest_that_does_not_load(raw_copy: Path, restyled: bool):
    if restyled:
        _stub_manifest(raw_copy)  # yaml.safe_dump writes the files list without indentation
    manifest = raw_copy / BNS / "manifest.yml"
    before = manifest.read_text(encoding="utf-8")
    first = _manifest(raw_copy)["files"][0]
    duplicate = {**first, "file": "other.xlsx"}  # same raw_table: the manifest would not load
    with pytest.raises(RawFileError, match="used twice"):
        add_release.append_entry(manifest, duplicate)
    assert manifest.read_text(encoding="utf-8") == before
    add_release.append_entry(manifest, {**first, "raw_table": "bns_new", "file": "other.xlsx"})
    after = manifest.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")), "existing entries and comments are kept verbatim"
    assert [e.raw_table for e in load_manifest(raw_copy / BNS)][-1] == "bns_new"


def test_dry_run_says_what_is_loaded_quarantined_and_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from dagster_project.ingestion.bns import layouts
    from dagster_project.ingestion.manifest import _entry
    from dagster_project.ingestion.workbook import Sheet, Workbook

    monkeypatch.setitem(layouts.LAYOUTS, "stub", STUB)
    sheet = Sheet("Data", {(1, 1): "Region", (2, 1): "Astana", (2, 2): 101.5, (3, 1): "Almaty", (3, 2): -3.0,
                           (4, 2): "=B2+B3", (5, 2): 7.0})
    raw = {"raw_table": "bns_x", "file": "x.xlsx", "sha256": "0" * 64, "loader": "bns_workbook",
           "layout": "stub", "sheets": ["Data"]}
    entry = _entry(BNS, tmp_path, raw, tmp_path / "manifest.yml")
    workbook = Workbook("kazakhstan_bns/x.xlsx", "xlsx", "0" * 64, {"Data": sheet})
    result = importlib.import_module(STUB).read(entry, workbook, None)
    lines: list[str] = []

    assert add_release.dry_run(result, entry, lines.append) is True  # the schema check passes
    text = "\n".join(lines)
    assert "Cells read 7 = loaded 3 + quarantined 1 + ignored 3; would load 3 facts into raw.bns_x" in text
    assert "stub: 3 facts (2–3: 1 each; 5: 1)" in text
    assert "1 x a formula where a figure stands  (first: kazakhstan_bns/x.xlsx, sheet 'Data', cell B4" in text
    assert "not_negative: 1 of 3 instances fail" in text and "Data!B3 >= 0" in text


# -- the command, stub layout -------------------------------------------------

def test_copied_release_is_recognised_written_and_dry_run(raw_copy: Path, published: Path, tmp_path: Path):
    _stub_manifest(raw_copy)
    shipped = _entry_of(raw_copy, "bns_employment_by_region")
    new_file = tmp_path / "incoming" / "employed_population_by_region_2001_2025.xlsx"
    new_file.parent.mkdir()
    shutil.copy2(raw_copy / BNS / shipped["file"], new_file)
    warehouse_before = _sha(published)

    run = _run(raw_copy, published, str(new_file), stub=True)

    assert run.returncode == 0, run.stdout + run.stderr
    written = _entry_of(raw_copy, "bns_employed_population_by_region_2001_2025")
    assert written["layout"] == shipped["layout"] and written["sheets"] == ["Regions_quarter"]
    assert written["sha256"] == shipped["sha256"] == _sha(new_file)
    assert written["territorial_basis"]["back_cast_to"] == shipped["territorial_basis"]["back_cast_to"]
    assert "TODO" in written["title"]["en"] and "TODO" in written["origin"]["url"]
    copied = raw_copy / BNS / new_file.name
    assert copied.read_bytes() == new_file.read_bytes()
    assert _facts_reported(run.stdout) == _stub_fact_count(raw_copy, "bns_employment_by_region")
    assert "Checks:" in run.stdout and "0 would fail" in run.stdout
    assert _sha(published) == warehouse_before
    assert not settings.build_warehouse_path(published).exists()
    # the other entries are untouched
    assert _entry_of(raw_copy, "bns_employment_by_region") == shipped


def test_no_write_inspects_only(raw_copy: Path, published: Path, tmp_path: Path):
    _stub_manifest(raw_copy)
    manifest = raw_copy / BNS / "manifest.yml"
    before = manifest.read_bytes()
    new_file = tmp_path / "tea_2025.xlsx"
    shutil.copy2(raw_copy / BNS / _entry_of(raw_copy, "bns_employment_by_activity_region")["file"], new_file)

    run = _run(raw_copy, published, "--no-write", str(new_file), stub=True)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "parameters of bns_employment_by_activity_region" in run.stdout
    assert manifest.read_bytes() == before
    assert not (raw_copy / BNS / new_file.name).exists()


def test_file_that_fits_no_layout_writes_nothing(raw_copy: Path, published: Path, tmp_path: Path):
    _stub_manifest(raw_copy)
    manifest = raw_copy / BNS / "manifest.yml"
    before = manifest.read_bytes()
    odd = tmp_path / "prices_2025.xlsx"  # a workbook in no known layout
    book = openpyxl.Workbook()
    book.active.title = "Prices"
    book.active.append(["Region", 2024, 2025])
    book.active.append(["Astana", 101.2, 103.4])
    book.save(odd)

    run = _run(raw_copy, published, str(odd), stub=True)

    assert run.returncode == 1, run.stdout + run.stderr
    assert "No known layout fits" in run.stdout and "sheet 'Regions_quarter' is missing" in run.stdout
    assert "Sheet 'Prices': 2 rows x 3 columns, 6 non-blank cells" in run.stdout
    assert manifest.read_bytes() == before
    assert not (raw_copy / BNS / odd.name).exists()


def test_disguised_file_is_refused_with_its_name(raw_copy: Path, published: Path, tmp_path: Path):
    page = tmp_path / "release.xlsx"
    page.write_text("<html><body>Not found</body></html>", encoding="utf-8")
    run = _run(raw_copy, published, str(page))
    assert run.returncode == 1
    assert "release.xlsx" in run.stdout and "HTML" in run.stdout


# -- the command, real readers --------------------------------------------------

def _reader_written(layout: str) -> bool:
    try:
        module = importlib.import_module(LAYOUTS[layout])
    except ImportError:  # a reader half-written in the shared checkout
        return False
    return "PLACEHOLDER" not in (module.__doc__ or "")


SHIPPED = [e for e in _manifest(SHIPPED_RAW)["files"] if e.get("loader") == "bns_workbook"]
# One release of the observation and one of the cell layouts in the fast suite;
# the other eight (about 25 s each: a subprocess that imports Great Expectations) are slow.
FAST = {"bns_employment_by_region", "bns_input_output_2023"}


@pytest.mark.parametrize("shipped", [
    pytest.param(e, id=e["raw_table"], marks=() if e["raw_table"] in FAST else pytest.mark.slow) for e in SHIPPED
])
def test_shipped_release_under_a_new_name(shipped: dict, raw_copy: Path, published: Path, tmp_path: Path):
    if not _reader_written(shipped["layout"]):
        pytest.skip(f"reader of {shipped['layout']} is still a placeholder")
    source = raw_copy / BNS / shipped["file"]
    new_file = tmp_path / f"next_{shipped['file']}"
    shutil.copy2(source, new_file)
    warehouse_before = _sha(published)

    run = _run(raw_copy, published, "--raw-table", "bns_next_release", str(new_file))

    assert run.returncode == 0, run.stdout + run.stderr
    written = _entry_of(raw_copy, "bns_next_release")
    parameters = {k: v for k, v in written.items() if k not in add_release._RELEASE_KEYS}
    expected = {k: v for k, v in shipped.items() if k not in add_release._RELEASE_KEYS}
    assert parameters == expected
    assert (written.get("territorial_basis") or {}).get("back_cast_to") == \
        (shipped.get("territorial_basis") or {}).get("back_cast_to")
    assert written["sha256"] == shipped["sha256"]
    # the real reader on the shipped entry, in this process
    entry = next(e for e in load_manifest(SHIPPED_RAW / BNS) if e.raw_table == shipped["raw_table"])
    assert _facts_reported(run.stdout) == len(read_release(entry, ReaderContext.from_settings()).facts)
    assert _sha(published) == warehouse_before
