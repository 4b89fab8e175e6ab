"""Work done once per release instead of once per question, and the guarantees
that make that safe: a sheet's extent follows every change to its cells, the
views the checks of a release share live for one validation only, and the
formula pass of an .xlsx is skipped only for a package with no formula in it."""

from __future__ import annotations

import copy
import io
import zipfile
from types import SimpleNamespace

import openpyxl
import pandas as pd

from dagster_project.ingestion import workbook as workbook_module
from dagster_project.ingestion.workbook import Sheet
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import ReleaseCheck, ReleaseSuite, shared_by_checks


# -- a sheet's extent --------------------------------------------------------------
def test_a_sheets_extent_follows_every_change_to_its_cells():
    sheet = Sheet("s", {(2, 3): 1.0, (5, 1): "label"})
    assert (sheet.max_row, sheet.max_column) == (5, 3)
    sheet.cells[(9, 2)] = 4.0
    assert (sheet.max_row, sheet.max_column) == (9, 3)
    sheet.cells[(9, 2)] = 5.0  # a value replaced: same extent
    assert (sheet.max_row, sheet.max_column) == (9, 3)
    del sheet.cells[(9, 2)]
    assert sheet.max_row == 5
    sheet.cells.update({(7, 8): 1.0})
    assert (sheet.max_row, sheet.max_column) == (7, 8)
    sheet.cells.pop((7, 8))
    sheet.cells.setdefault((6, 6), 2.0)
    assert (sheet.max_row, sheet.max_column) == (6, 6)
    sheet.cells |= {(12, 1): 3.0}
    assert sheet.max_row == 12
    sheet.cells.popitem()
    assert sheet.max_row == 6
    copied = copy.deepcopy(sheet)
    copied.cells[(30, 30)] = 1.0
    assert (copied.max_row, sheet.max_row) == (30, 6)
    sheet.cells.clear()
    assert (sheet.max_row, sheet.max_column) == (0, 0)


def test_a_plain_dict_assigned_as_cells_is_still_measured():
    sheet = Sheet("s")
    sheet.cells = {(3, 4): 1.0}
    assert (sheet.max_row, sheet.max_column) == (3, 4)
    sheet.cells[(8, 1)] = 2.0
    assert sheet.max_row == 8


# -- the formula pass ------------------------------------------------------------
def _xlsx(**cells) -> bytes:
    book = openpyxl.Workbook()
    for address, value in cells.items():
        book.active[address] = value
        if isinstance(value, str) and value.startswith("'"):  # a text cell that starts with '='
            book.active[address].value, book.active[address].data_type = value[1:], "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_part(data: bytes, name: str, part: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.namelist():
            target.writestr(member, source.read(member))
        target.writestr(name, part)
    return buffer.getvalue()


def test_the_formula_pass_is_skipped_only_for_a_package_without_formulas():
    plain = _xlsx(B2=1.5, B3="'=text that only looks like a formula")
    assert not workbook_module._may_hold_formulas(plain)
    assert workbook_module._may_hold_formulas(_xlsx(B2=1.5, B4="=B2*2"))
    # Formula elements as other writers spell them: a namespace prefix, a shared formula.
    assert workbook_module._may_hold_formulas(_with_part(plain, "xl/worksheets/sheet9.xml",
                                                         b'<x:c r="A1"><x:f>B2</x:f></x:c>'))
    assert workbook_module._may_hold_formulas(_with_part(plain, "xl/worksheets/sheet9.xml",
                                                         b'<c r="A2"><f t="shared" si="0"/></c>'))
    # A part a byte search cannot read is assumed to hold formulas.
    assert workbook_module._may_hold_formulas(_with_part(plain, "xl/worksheets/sheet9.xml",
                                                         "<c/>".encode("utf-16")))


def test_a_workbook_without_formulas_reads_the_same_with_or_without_the_formula_pass(monkeypatch):
    data = _xlsx(A1="Region", B2=1.5, B3="'=not a formula, a text", C7=-2)
    skipped = workbook_module._read_xlsx(data, "x.xlsx")
    monkeypatch.setattr(workbook_module, "_may_hold_formulas", lambda data: True)
    both = workbook_module._read_xlsx(data, "x.xlsx")
    assert {n: dict(s.cells) for n, s in skipped.items()} == {n: dict(s.cells) for n, s in both.items()}
    assert skipped["Sheet"].value(3, 2) == "=not a formula, a text"


# -- views shared by the checks of one release -------------------------------------
def _counting_view():
    built = []

    @shared_by_checks
    def view(facts: pd.DataFrame) -> list[float]:
        built.append(id(facts))
        return facts["value"].tolist()

    return view, built


def _suite(view) -> ReleaseSuite:
    def check(name):
        def build(facts, entry):
            return [Instance(name, "total", None, None, ((f"s{i}", "B1"),), value, 0.0, 0.5, f"{name} {i}")
                    for i, value in enumerate(view(facts))]

        return ReleaseCheck(name, name, build)

    return ReleaseSuite(("key",), (check("first"), check("second")))


def test_a_view_is_built_once_per_validation_and_shared_by_the_checks():
    view, built = _counting_view()
    facts = pd.DataFrame({"key": ["a", "b"], "value": [0.0, 0.25]})
    outcome = _suite(view).validate(facts, SimpleNamespace(raw_table="t"))
    assert built == [id(facts)]
    assert [r["observed"] for r in outcome.rows if r["check_name"] in ("first", "second")] == [0.0, 0.25] * 2


def test_a_view_lives_for_one_validation_only():
    view, built = _counting_view()
    facts = pd.DataFrame({"key": ["a", "b"], "value": [0.0, 0.25]})
    suite = _suite(view)
    suite.validate(facts, SimpleNamespace(raw_table="t"))
    facts.loc[1, "value"] = 3.0  # changed in place: the same frame object
    outcome = suite.validate(facts, SimpleNamespace(raw_table="t"))
    assert len(built) == 2
    failed = [r for r in outcome.rows if r["check_name"] == "first" and not r["passed"]]
    assert [r["observed"] for r in failed] == [3.0]
    # Outside a validation a check's call simply builds.
    assert view(facts) == [0.0, 3.0] and len(built) == 3


def test_views_of_different_frames_are_not_confused():
    view, built = _counting_view()
    other = pd.DataFrame({"key": ["z"], "value": [9.0]})

    def build(facts, entry):
        return [Instance("both", "total", None, None, (("s", "B1"),), view(f)[0], 0.0, 100.0, "d")
                for f in (facts, other)]

    facts = pd.DataFrame({"key": ["a"], "value": [1.0]})
    outcome = ReleaseSuite(("key",), (ReleaseCheck("both", "both", build),)).validate(
        facts, SimpleNamespace(raw_table="t"))
    assert [r["observed"] for r in outcome.rows if r["check_name"] == "both"] == [1.0, 9.0]
    assert sorted(built) == sorted([id(facts), id(other)])

