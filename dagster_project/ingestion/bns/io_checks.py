"""The identities of the BNS input-output and supply-use tables, as release checks.

Each check expands the facts of ``io_workbook`` into one ``Instance`` per
identity over named source cells. Codes are those of ``io_item_codes.csv``;
producing columns are the ones with a printed product (I-O) or industry (SUT)
code. Tolerances come from the printing: every figure is rounded to the digits
the manifest's ``printed_decimals`` states (0 for thousand tenge, 6 for the
cost ratios), so an identity over n + 1 printed cells (a total and its n parts)
may be off by at most (n + 1) half units. Identities whose cells are not all
printed (an item a sheet does not have) are not built; gap markers make an
instance that cannot be evaluated, which holds.

Conventions found on the 2023 workbooks, all exact on the stored values:
- direct cost ratios (sheet 9) = use at basic prices (sheet 6) / total supply at
  basic prices (output + imports) of the column; the ratio's 'Total' row is
  intermediate use at *purchasers'* prices (sheet 6 row ``TOTAL_PP``) over the
  same total supply, and its ``P2`` column divides each row's intermediate use
  by the economy's total supply;
- total cost ratios (sheet 10) = (I - sheet 9)^-1 over the product block;
- subsidies on products (``D31``) are printed positive and subtracted;
- the direct-purchase and cif/fob rows are 0 in every cell of 2023, so the data
  cannot tell their sign in the 'Total' rows: they are added as printed (ESA
  prints P.34 negative where it is deducted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import ReleaseCheck, shared_by_checks

PRODUCING = ("product", "industry")
ADJUSTMENT_ROWS = ("CIF_FOB", "P33", "P34")
VALUE_ADDED = ("D1", "D29X39", "P51C", "B2A3N")
FLOW_TABLES = ("supply", "use_purchasers", "trade_margins", "transport_margins", "net_taxes",
               "use_basic", "use_imported", "use_domestic")
USE_TABLES = FLOW_TABLES[1:]

Ref = tuple[str, str, str]  # (table_code, row_code, column_code)


class Tables:
    """The facts of one release indexed by (table, row, column)."""

    def __init__(self, facts: pd.DataFrame, entry: ManifestEntry):
        self.entry = entry
        years = sorted(set(facts["year"].dropna().astype(int))) if len(facts) else []
        self.year = ",".join(str(y) for y in years) or None
        self.value: dict[Ref, float | None] = {}
        self.cell: dict[Ref, tuple[str, str]] = {}
        self.rows: dict[str, dict[str, str]] = {}  # table -> row code -> kind, in printed order
        self.columns: dict[str, dict[str, str]] = {}
        ordered = facts.sort_values(["_source_sheet", "_source_row"], kind="stable")
        columns = ["table_code", "row_code", "row_kind", "column_code", "column_kind", "value",
                   "_source_sheet", "_source_cell"]
        for table, row, row_kind, column, column_kind, value, sheet, cell in zip(
            *(ordered[c].tolist() for c in columns)
        ):
            ref = (table, row, column)
            self.value[ref] = None if value is None or pd.isna(value) else float(value)
            self.cell[ref] = (sheet, cell)
            self.rows.setdefault(table, {}).setdefault(row, row_kind)
            self.columns.setdefault(table, {}).setdefault(column, column_kind)
        decimals = {s["table_code"]: int(s.get("printed_decimals", 0)) for s in entry.extra.get("sheets", [])}
        self.half_unit = {table: 0.5 * 10.0 ** -d for table, d in decimals.items()}

    def has(self, table: str) -> bool:
        return table in self.rows

    def row_codes(self, table: str, kinds: Iterable[str] | None = None) -> list[str]:
        rows = self.rows.get(table, {})
        return [code for code, kind in rows.items() if kinds is None or kind in kinds]

    def column_codes(self, table: str, kinds: Iterable[str] | None = None) -> list[str]:
        columns = self.columns.get(table, {})
        return [code for code, kind in columns.items() if kinds is None or kind in kinds]

    def producing(self, table: str) -> list[str]:
        return self.column_codes(table, PRODUCING)

    def products(self, table: str) -> list[str]:
        return self.row_codes(table, ("product",))


@shared_by_checks
def release_tables(facts: pd.DataFrame, entry: ManifestEntry) -> Tables:
    """The release's ``Tables``, indexed once for all eight checks of a validation."""
    return Tables(facts, entry)


def sum_identity(tables: Tables, check: str, total: Ref, parts: list[tuple[Ref, float]],
                 description: str) -> Instance | None:
    """``total = sum(sign * part)`` over printed cells, or None if a cell is not printed."""
    refs = [total] + [ref for ref, _ in parts]
    if any(ref not in tables.value for ref in refs):
        return None
    cells = tuple(tables.cell[ref] for ref in refs)
    tolerance = sum(tables.half_unit.get(ref[0], 0.5) for ref in refs) + 1e-9
    values = [tables.value[ref] for ref in refs]
    if any(v is None for v in values):
        return Instance(check, f"{total[0]}:{total[1]}", tables.year, total[2], cells, None, None,
                        tolerance, description)
    observed = values[0]
    expected = sum(sign * value for (_, sign), value in zip(parts, values[1:]))
    deviation = observed - expected
    solutions = {cells[0]: expected}
    for (ref, sign), value in zip(parts, values[1:]):
        solutions.setdefault(tables.cell[ref], value + sign * deviation)
    return Instance(check, f"{total[0]}:{total[1]}", tables.year, total[2], cells, observed, expected,
                    tolerance, description, solutions)


def _collect(instances: Iterable[Instance | None]) -> list[Instance]:
    return [i for i in instances if i is not None]


# -- published totals -----------------------------------------------------------

COLUMN_TOTALS = (  # (total column, [(part, sign)]) inside one table, for every row
    ("P3", [("P3_S14", 1), ("P3_S13", 1), ("P3_S15", 1)]),
    ("P5", [("P51G", 1), ("P52", 1), ("P53", 1)]),
    ("TFU", [("P3", 1), ("P5", 1), ("P6", 1)]),
    ("TU", [("P2", 1), ("TFU", 1)]),
    ("TS_BP", [("P1", 1), ("P7", 1)]),
    ("D21X31", [("D21", 1), ("D31", -1)]),
    ("TS_PP", [("TS_BP", 1), ("TRADE_MARGINS", 1), ("TRANSPORT_MARGINS", 1), ("D21X31", 1)]),
)
# Final use has no value added, output or imports: the I-O workbook leaves those cells blank, the SUT
# (sheet 6) prints 0 in every final-demand column *and* in total use TU, where P2 + TFU would be the
# industries' total. Not a figure that can be wrong, so these totals are not built on those rows.
FINAL_USE_TOTALS = ("P3", "P5", "TFU", "TU")
ACCOUNT_ROW_KINDS = ("value_added", "value_added_total", "output", "imports", "total_supply", "margins")
ROW_TOTALS = (  # (table or None for all, total row, [(part, sign)]) for every column
    ("use_basic", "TOTAL_PP", [("TOTAL", 1), ("D21X31", 1)]),
    ("use_basic", "TS_BP", [("P1", 1), ("P7", 1)]),
    ("use_purchasers", "TS_PP", [("P1", 1), ("P7", 1), ("D21X31", 1), ("TTM", 1)]),
    (None, "B1G", [(code, 1) for code in VALUE_ADDED]),
)


def published_totals(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    tables = release_tables(facts, entry)
    check = "io_published_totals"
    out: list[Instance | None] = []
    for table in FLOW_TABLES:
        if not tables.has(table):
            continue
        rows, columns = tables.row_codes(table), tables.column_codes(table)
        sum_rows = tables.products(table) + [r for r in ADJUSTMENT_ROWS if r in rows]
        sum_columns = tables.producing(table)
        grand = "P1" if table == "supply" else "P2"  # the column that totals the producing columns
        for row in rows:
            out.append(sum_identity(tables, check, (table, row, grand), [((table, row, c), 1) for c in sum_columns],
                                   f"{table}: row {row}, column {grand} = sum of the {len(sum_columns)} "
                                   "producing columns"))
            for total, parts in COLUMN_TOTALS:
                if total in FINAL_USE_TOTALS and tables.rows[table][row] in ACCOUNT_ROW_KINDS:
                    continue
                out.append(sum_identity(tables, check, (table, row, total),
                                        [((table, row, p), s) for p, s in parts],
                                        f"{table}: row {row}, {total} = " + _formula(parts)))
        for column in columns:
            if "TOTAL" in rows:
                out.append(sum_identity(tables, check, (table, "TOTAL", column),
                                        [((table, r, column), 1) for r in sum_rows],
                                        f"{table}: column {column}, TOTAL = sum of the product rows and "
                                        "the direct-purchase / cif-fob adjustment rows"))
            for only, total, parts in ROW_TOTALS:
                if only in (None, table):
                    out.append(sum_identity(tables, check, (table, total, column),
                                            [((table, p, column), s) for p, s in parts],
                                            f"{table}: column {column}, {total} = " + _formula(parts)))
    return _collect(out)


def _formula(parts: list[tuple[str, int]]) -> str:
    text = " ".join(("+ " if s > 0 else "- ") + p for p, s in parts)
    return text[2:] if text.startswith("+ ") else text


# -- column balance: output = intermediate inputs + net taxes + value added ------

def column_balance(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    tables = release_tables(facts, entry)
    check = "io_column_balance"
    out: list[Instance | None] = []
    for table, inputs in (("use_basic", [("TOTAL_PP", 1)]), ("use_purchasers", [("TOTAL", 1)])):
        if not tables.has(table):
            continue
        for column in tables.producing(table) + ["P2"]:
            out.append(sum_identity(
                tables, check, (table, "P1", column), [((table, r, column), s) for r, s in inputs + [("B1G", 1)]],
                f"{table}: column {column}, output P1 = intermediate inputs at purchasers' prices "
                f"({inputs[0][0]}: at basic prices + net taxes on products) + gross value added B1G"))
    return _collect(out)


# -- supply = use, by product; output in supply = in use, by column ------------------

SUPPLY_USE_PAIRS = (  # (supply column, use table): supply of each product = its total use TU
    ("TS_BP", "use_basic"), ("TS_PP", "use_purchasers"), ("P1", "use_domestic"), ("P7", "use_imported"),
    ("D21X31", "net_taxes"), ("TRADE_MARGINS", "trade_margins"), ("TRANSPORT_MARGINS", "transport_margins"),
)
# In the symmetric (product x product) table the rows under the use tables repeat, for each product
# column j, product j's supply items: (use table, row) = sum of supply row j's columns.
TRANSPOSED_SUPPLY = (
    ("use_basic", "P7", ["P7"]), ("use_basic", "TS_BP", ["TS_BP"]),
    ("use_purchasers", "P7", ["P7"]), ("use_purchasers", "D21X31", ["D21X31"]),
    ("use_purchasers", "TTM", ["TRADE_MARGINS", "TRANSPORT_MARGINS"]), ("use_purchasers", "TS_PP", ["TS_PP"]),
)


def supply_equals_use(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    tables = release_tables(facts, entry)
    check = "io_supply_equals_use"
    out: list[Instance | None] = []
    for column, table in SUPPLY_USE_PAIRS:
        for product in tables.products("supply"):
            out.append(sum_identity(
                tables, check, (table, product, "TU"), [(("supply", product, column), 1)],
                f"product {product}: total use TU in {table} = supply column {column} (sheet 1)"))
    for column in tables.producing("supply"):
        out.append(sum_identity(
            tables, check, ("use_basic", "P1", column), [(("supply", "TOTAL", column), 1)],
            f"column {column}: output P1 in the use table at basic prices = total output in supply"))
    for table, row, supply_columns in TRANSPOSED_SUPPLY:
        for column in tables.column_codes(table, ("product",)):
            out.append(sum_identity(
                tables, check, (table, row, column), [(("supply", column, c), 1) for c in supply_columns],
                f"product column {column}: row {row} of {table} = supply of product {column}, "
                + " + ".join(supply_columns)))
    return _collect(out)


def output_row_identity(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """x_i = sum_j z_ij + f_i on domestic products; total supply = P2 + TFU on all products."""
    tables = release_tables(facts, entry)
    check = "io_output_row_identity"
    out: list[Instance | None] = []
    for total_column, table in (("P1", "use_domestic"), ("TS_BP", "use_basic")):
        for product in tables.products("supply"):
            out.append(sum_identity(
                tables, check, ("supply", product, total_column),
                [((table, product, "P2"), 1), ((table, product, "TFU"), 1)],
                f"product {product}: supply {total_column} = intermediate use P2 + final demand TFU in {table}"))
    return _collect(out)


# -- cell by cell --------------------------------------------------------------

def _cellwise(tables: Tables, check: str, total_table: str, part_tables: list[str], what: str) -> list[Instance]:
    if not all(tables.has(t) for t in [total_table] + part_tables):
        return []
    out: list[Instance | None] = []
    for row in tables.row_codes(total_table):
        for column in tables.column_codes(total_table):
            if all((t, row, column) in tables.value for t in part_tables):
                out.append(sum_identity(tables, check, (total_table, row, column),
                                        [((t, row, column), 1) for t in part_tables],
                                        f"row {row}, column {column}: {what}"))
    return _collect(out)


def domestic_plus_imported(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    return _cellwise(release_tables(facts, entry), "io_domestic_plus_imported", "use_basic",
                     ["use_domestic", "use_imported"], "use at basic prices = domestic + imported use")


def valuation(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    return _cellwise(release_tables(facts, entry), "io_valuation", "use_purchasers",
                     ["use_basic", "trade_margins", "transport_margins", "net_taxes"],
                     "use at purchasers' prices = at basic prices + trade + transport margins + net taxes")


# -- BNS's cost ratios -------------------------------------------------------------

RATIO_NUMERATOR = {"TOTAL": "TOTAL_PP"}  # sheet 9's 'Total' row is intermediate use at purchasers' prices


def direct_cost_ratios(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """a_rj = use_basic[r, j] / use_basic[TS_BP, j] for every printed ratio."""
    tables = release_tables(facts, entry)
    check = "io_direct_cost_ratios"
    if not (tables.has("direct_cost_ratios") and tables.has("use_basic")):
        return []
    half_ratio = tables.half_unit.get("direct_cost_ratios", 0.0)
    half_flow = tables.half_unit.get("use_basic", 0.5)
    out = []
    for row in tables.row_codes("direct_cost_ratios"):
        for column in tables.column_codes("direct_cost_ratios"):
            ratio = ("direct_cost_ratios", row, column)
            flow = ("use_basic", RATIO_NUMERATOR.get(row, row), column)
            supply = ("use_basic", "TS_BP", column)
            if ratio not in tables.value or flow not in tables.value or supply not in tables.value:
                continue
            cells = (tables.cell[ratio], tables.cell[flow], tables.cell[supply])
            values = [tables.value[ratio], tables.value[flow], tables.value[supply]]
            description = (f"direct cost ratio {row} x {column} = use at basic prices {flow[1]} / total supply "
                           f"at basic prices (output + imports) of column {column}")
            if any(v is None for v in values) or values[2] == 0:
                out.append(Instance(check, f"direct_cost_ratios:{row}", tables.year, column, cells, None, None,
                                    half_ratio, description))
                continue
            observed, numerator, denominator = values
            expected = numerator / denominator
            # printed ratio rounding + the flows' rounding propagated through the quotient
            tolerance = half_ratio + half_flow * (1 + abs(expected)) / abs(denominator) + 1e-12
            solutions = {cells[0]: expected, cells[1]: observed * denominator}
            if observed:
                solutions[cells[2]] = numerator / observed
            out.append(Instance(check, f"direct_cost_ratios:{row}", tables.year, column, cells, observed,
                                expected, tolerance, description, solutions))
    return out


def total_cost_ratios(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """Sheet 10 = (I - A)^-1, A = sheet 9's product block as published."""
    tables = release_tables(facts, entry)
    check = "io_total_cost_ratios"
    if not (tables.has("direct_cost_ratios") and tables.has("total_cost_ratios")):
        return []
    products = [p for p in tables.products("total_cost_ratios")
                if p in tables.producing("total_cost_ratios") and p in tables.producing("direct_cost_ratios")]
    matrix = np.array([[tables.value.get(("direct_cost_ratios", r, c)) for c in products] for r in products],
                      dtype=float)
    if np.isnan(matrix).any():
        return []
    inverse = leontief_inverse(matrix)
    half_a = tables.half_unit.get("direct_cost_ratios", 0.0)
    half_l = tables.half_unit.get("total_cost_ratios", 0.0)
    # |dL| <= L |dA| L entrywise; with |dA| <= half_a everywhere that is half_a * rowsum_i(L) * colsum_j(L)
    propagated = half_a * np.outer(np.abs(inverse).sum(axis=1), np.abs(inverse).sum(axis=0))
    out = []
    for i, row in enumerate(products):
        for j, column in enumerate(products):
            ref = ("total_cost_ratios", row, column)
            if ref not in tables.value:
                continue
            cell = tables.cell[ref]
            out.append(Instance(
                check, f"total_cost_ratios:{row}", tables.year, column, (cell,), tables.value[ref],
                float(inverse[i, j]), half_l + float(propagated[i, j]) + 1e-12,
                f"total cost ratio {row} x {column} = element of (I - A)^-1, A = the published direct cost ratios",
                {cell: float(inverse[i, j])}))
    return out


def leontief_inverse(matrix: np.ndarray) -> np.ndarray:
    return np.linalg.inv(np.eye(matrix.shape[0]) - matrix)


def _check(name: str, build: Callable, description: str) -> ReleaseCheck:
    return ReleaseCheck(name, description, build)


CHECKS = (
    _check("io_published_totals", published_totals,
           "Every published total row and column (intermediate use P2, final consumption, capital formation, "
           "final demand, total use; output, total supply, net taxes; the 'Total' rows; gross value added) "
           "equals the sum of its printed parts within the rounding of the printed figures."),
    _check("io_column_balance", column_balance,
           "For every column of the use tables: output = intermediate inputs at purchasers' prices + gross "
           "value added."),
    _check("io_supply_equals_use", supply_equals_use,
           "For every product, supply (sheet 1) equals total use at the same price basis: total supply at basic "
           "prices = use at basic prices, at purchasers' prices = use at purchasers' prices, output = use of "
           "domestic products, imports = use of imported products, net taxes = net taxes used; and the output of "
           "every column in supply equals the output row of the use table."),
    _check("io_output_row_identity", output_row_identity,
           "For every product: output = intermediate + final use of domestic products (x = Zd 1 + fd), and total "
           "supply = intermediate + final use at basic prices."),
    _check("io_domestic_plus_imported", domestic_plus_imported,
           "Cell by cell: use at basic prices = use of domestic products + use of imported products."),
    _check("io_valuation", valuation,
           "Cell by cell: use at purchasers' prices = use at basic prices + trade margins + transport margins + "
           "net taxes on products."),
    _check("io_direct_cost_ratios", direct_cost_ratios,
           "BNS's direct cost ratios (sheet 9) reproduced from use at basic prices: each flow divided by the "
           "column's total supply at basic prices (output + imports), BNS's own convention, not the technical "
           "coefficient z/x; the 'Total' row uses intermediate use at purchasers' prices. Input-output workbook only "
           "(the supply-use workbook prints no ratios: no instances)."),
    _check("io_total_cost_ratios", total_cost_ratios,
           "BNS's total cost ratios (sheet 10) = (I - A)^-1 of the published direct cost ratios, within the "
           "rounding of the six printed decimals propagated through the inverse. Input-output workbook only."),
)
