"""Kazakhstan's BNS input-output tables of 2023 through the warehouse's
methods, against independent computations on the same numbers.

Fast tests read the workbooks themselves (pandas.read_excel, header=None, by
sheet coordinates and printed labels) and check the methods on them: BNS's
cost-ratio convention, the industry-by-industry table derived from supply and
domestic use, and the seed 003 Table 2 reproduction against factor_analyzer's
varimax. Tests on the refreshed warehouse (slow) check every Kazakhstan mart
against numpy and pymrio on the matrices read from the workbook."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pymrio
import pytest
from factor_analyzer.rotator import Rotator

from dagster_project.methods import cluster_templates as ct
from dagster_project.methods import input_output as io
from dagster_project.methods import supply_use as su
from dagster_project.methods import template_comparison as tc

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
IO_FILE = RAW / "kazakhstan_bns" / "input_output_tables_2023.xlsx"
SUT_FILE = RAW / "kazakhstan_bns" / "supply_use_tables_2023.xlsx"
CROSSWALK = RAW / "kazakhstan_frame" / "bns_io_oked_crosswalk.csv"
SEED_T2 = RAW / "seeds" / "s003_t2_rotated_component_loadings.csv"
FINAL_DEMAND = (
    "Household final consumption expenditure",
    "Government final consumption expenditure",
    "NPISH final consumption expenditure",
    "Gross fixed capital formation",
    "Change in inventories",
    "Acquisition less disposal of valuables",
    "Export of goods and services",
)
DOMESTIC = "kz_2023_pxp_68_domestic"
TOTAL = "kz_2023_pxp_68_total"
INDUSTRY = "kz_2023_ixi_72_domestic"


class Sheet:
    """One BNS sheet read by coordinates: codes in the 'Code' row across and
    in column B down; other rows and columns found by their printed label."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        code_row = int(np.flatnonzero(frame.iloc[:, 1].astype(str).str.strip() == "Code")[0])
        self.label_row = code_row - 1
        self.first_row = code_row + 2
        codes = frame.iloc[code_row, 3:]
        self.columns = {str(v).strip(): j + 3 for j, v in enumerate(codes) if pd.notna(v)}
        down = frame.iloc[self.first_row :, 1]
        self.rows = {str(v).strip(): self.first_row + i for i, v in enumerate(down) if pd.notna(v)}

    def codes(self) -> list[str]:
        return list(self.rows)

    def block(self, row_codes, column_codes) -> np.ndarray:
        r = [self.rows[c] for c in row_codes]
        c = [self.columns[k] for k in column_codes]
        return self.frame.iloc[r, c].to_numpy(dtype=float)

    def row(self, label: str, column_codes) -> np.ndarray:
        labels = self.frame.iloc[:, 2].astype(str).str.strip()
        i = int(np.flatnonzero(labels == label)[0])
        return self.frame.iloc[i, [self.columns[k] for k in column_codes]].to_numpy(dtype=float)

    def column(self, label: str, row_codes) -> np.ndarray:
        labels = self.frame.iloc[self.label_row].astype(str).str.strip()
        j = int(np.flatnonzero(labels == label)[0])
        return self.frame.iloc[[self.rows[c] for c in row_codes], j].to_numpy(dtype=float)


@pytest.fixture(scope="module")
def io_book() -> dict[str, Sheet]:
    sheets = pd.read_excel(IO_FILE, sheet_name=["6.", "7.", "8.", "9.", "10."], header=None)
    return {name.rstrip("."): Sheet(frame) for name, frame in sheets.items()}


@pytest.fixture(scope="module")
def kz(io_book) -> dict:
    """The domestic and total-flow tables as plain arrays."""
    basic, imported, domestic = io_book["6"], io_book["7"], io_book["8"]
    p = domestic.codes()[:68]
    x = basic.row("Output at basic prices", p)
    out = {
        "products": p,
        "x": x,
        "m": basic.row("Import of goods and services", p),
        "Z_dom": domestic.block(p, p),
        "Z_tot": basic.block(p, p),
        "imported_inputs": imported.row("Total", p),
        "taxes": basic.row("Net taxes on products", p),
        "va": basic.row("Gross value added", p),
        "comp": basic.row("Compensation of employees", p),
        "hh_dom": domestic.column("Household final consumption expenditure", p),
        "hh_tot": basic.column("Household final consumption expenditure", p),
    }
    return out


def test_the_product_table_has_68_products_in_the_same_order_on_both_axes(io_book):
    sheet = io_book["8"]
    assert sheet.codes()[:68] == list(sheet.columns)[:68]
    assert sheet.codes()[:3] == ["01", "02", "03"] and "58-63 except 61" in sheet.codes()


def test_bns_direct_cost_ratios_are_basic_use_over_total_supply(io_book, kz):
    p = kz["products"]
    published_direct = io_book["9"].block(p, p)
    published_total = io_book["10"].block(p, p)
    direct = io.supply_cost_ratios(kz["Z_tot"], kz["x"], kz["m"])
    # printed with six decimals (#,##0.000000): half a unit of the last digit
    assert np.abs(direct - published_direct).max() <= 5e-7
    assert np.abs(np.linalg.inv(np.eye(68) - published_direct) - published_total).max() <= 5e-7
    # ... and they are not the domestic coefficients, nor basic use over output
    assert np.abs(kz["Z_dom"] / kz["x"] - published_direct).max() > 0.1
    assert np.abs(kz["Z_tot"] / kz["x"] - published_direct).max() > 0.1


def test_domestic_table_balances_and_leaks_exactly_into_value_added_taxes_and_imports(kz):
    x = kz["x"]
    column_total = kz["Z_dom"].sum(axis=0) + kz["imported_inputs"] + kz["taxes"] + kz["va"]
    assert np.abs(column_total - x).max() <= 0.5 * 72  # thousand tenge, one unit per cell
    L = io.leontief_inverse(io.technical_coefficients(kz["Z_dom"], x))
    effects = sum(io.total_effects(L, v / x) for v in (kz["imported_inputs"], kz["taxes"], kz["va"]))
    np.testing.assert_allclose(effects, 1.0, atol=1e-6)


@pytest.fixture(scope="module")
def sut() -> dict[str, Sheet]:
    sheets = pd.read_excel(SUT_FILE, sheet_name=["1.", "6.", "7.", "8."], header=None)
    return {name.rstrip("."): Sheet(frame) for name, frame in sheets.items()}


def _long(block: np.ndarray, row_role, row_codes, column_role, column_codes) -> pd.DataFrame:
    n, k = block.shape
    return pd.DataFrame(
        {
            "row_position": np.repeat(np.arange(n), k),
            "row_role": row_role,
            "row_code": np.repeat(np.asarray(row_codes, dtype=object), k),
            "column_position": np.tile(np.arange(k), n),
            "column_role": column_role,
            "column_code": np.tile(np.asarray(column_codes, dtype=object), n),
            "value": block.ravel(),
            "value_status": su.PUBLISHED,
        }
    )


def test_industry_table_from_supply_and_domestic_use_matches_numpy(sut):
    supply, basic, imported, domestic = sut["1"], sut["6"], sut["7"], sut["8"]
    products = domestic.codes()[:125]
    industries = list(domestic.columns)[:72]
    V_t = supply.block(products, industries)  # products x industries
    g = supply.row("Total output", industries)
    U = domestic.block(products, industries)
    Y = np.column_stack([domestic.column(label, products) for label in FINAL_DEMAND])
    fd_codes = [f"fd{i}" for i in range(len(FINAL_DEMAND))]
    supply_cells = pd.concat(
        [
            _long(V_t, "product", products, "industry", industries),
            _long(g[None, :], "industry_supply_total", ["TOTAL"], "industry", industries),
            _long(V_t.sum(axis=1)[:, None], "product", products, "product_output_total", ["P1"]),
        ]
    )
    rows = {
        "imports": imported.row("Total", industries),
        "product_taxes": basic.row("Net taxes on products", industries),
        "value_added": basic.row("Gross value added", industries),
        "compensation": basic.row("Compensation of employees", industries),
        "output": basic.row("Output at basic prices", industries),
    }
    use_cells = pd.concat(
        [
            _long(U, "product", products, "industry", industries),
            _long(Y, "product", products, "final_demand", fd_codes),
            *[_long(v[None, :], role, [role], "industry", industries) for role, v in rows.items()],
        ]
    )
    table = su.symmetric_from_supply_use("kz", supply_cells, use_cells, relative_tolerance=0.01)
    q = V_t.sum(axis=1)
    share = np.divide(V_t.T, q[None, :], out=np.zeros_like(V_t.T), where=q[None, :] != 0)
    np.testing.assert_allclose(table.Z, share @ U, rtol=1e-12, atol=1e-6)
    # domestic use of domestic output balances: intermediate + final sales = output
    assert np.abs(table.Z.sum(axis=1) + table.final_demand.sum(axis=1) - g).max() / g.max() < 1e-9
    assert table.balance["use_column_balance"] < 1e-9


def _published_t2() -> pd.DataFrame:
    frame = pd.read_csv(SEED_T2, sep=";", decimal=",")
    return frame.set_index("industry_code")[[f"pc{k}" for k in range(1, 8)]].set_axis(range(1, 8), axis=1)


def test_seed_003_reproduction_matches_factor_analyzer_varimax(kz):
    crosswalk = pd.read_csv(CROSSWALK, dtype=str, keep_default_na=False)
    crosswalk = crosswalk[crosswalk["classification"] == "BNS_IO_PRODUCT"]
    mapped = crosswalk[crosswalk["s003_industry_code"] != ""]
    groups = dict(zip(mapped["code"], mapped["s003_industry_code"], strict=True))
    published = _published_t2()
    reproduction = tc.reproduce_published_templates(kz["Z_dom"], kz["products"], groups, published)
    services = crosswalk.loc[crosswalk["oked_section"] >= "G", "code"]
    assert sorted(reproduction.dropped_codes) == sorted(services)  # services only are left out
    # independent: factor_analyzer's SVD varimax with Kaiser normalisation on the same
    # unrotated loadings, then the same matching
    z20 = tc.aggregate_flows(kz["Z_dom"], kz["products"], groups, list(published.index))
    components = ct.principal_components(ct.pattern_correlations(z20, list(published.index)).maximum)
    rotator = Rotator(method="varimax", normalize=True, max_iter=100_000, tol=1e-14)
    independent = rotator.fit_transform(components.loadings(7))
    matching = tc.match_components(published.to_numpy(), independent)
    np.testing.assert_allclose(
        np.sort(matching.phi), np.sort(reproduction.components["congruence"].to_numpy()), atol=1e-6
    )
    assert reproduction.published_cumulative_share == pytest.approx(0.88, abs=0.001)
    mining = reproduction.components[reproduction.components["is_mining_metallurgical"]]
    assert mining["published_component"].tolist() == [2]


# --------------------------------------------------------------------------- #
# the marts of a refreshed warehouse against numpy and pymrio
# --------------------------------------------------------------------------- #
def _square(connection, mart: str, column: str, table_id: str, codes: list[str]) -> np.ndarray:
    frame = connection.execute(
        f"select from_industry_code, to_industry_code, {column} from marts.{mart} where table_id = ?",
        [table_id],
    ).df()
    wide = frame.pivot(index="from_industry_code", columns="to_industry_code", values=column)
    return wide.reindex(index=codes, columns=codes).fillna(0.0).to_numpy()


def _multiplier(connection, table_id: str, measure: str, model_type: str, column: str, codes) -> np.ndarray:
    frame = connection.execute(
        "select industry_code, " + column + " from marts.fct_multipliers "
        "where table_id = ? and measure = ? and model_type = ?",
        [table_id, measure, model_type],
    ).df()
    return frame.set_index("industry_code")[column].reindex(codes).to_numpy(dtype=float)


@pytest.mark.parametrize("table_id", [DOMESTIC, TOTAL])
def test_kz_marts_match_numpy_and_pymrio(refreshed, kz, table_id):
    p, x = kz["products"], kz["x"]
    Z = kz["Z_dom"] if table_id == DOMESTIC else kz["Z_tot"]
    household = kz["hh_dom"] if table_id == DOMESTIC else kz["hh_tot"]
    A = Z / x
    L = np.linalg.inv(np.eye(68) - A)
    A_mrio = pymrio.calc_A(pd.DataFrame(Z, index=p, columns=p), pd.DataFrame({"x": x}, index=p)).to_numpy()
    L_mrio = pymrio.calc_L(pd.DataFrame(A_mrio, index=p, columns=p)).to_numpy()
    with duckdb.connect(str(refreshed["published"]), read_only=True) as connection:
        np.testing.assert_allclose(_square(connection, "fct_technical_coefficients", "technical_coefficient",
                                           table_id, p), A_mrio, atol=1e-12)
        warehouse_L = _square(connection, "fct_leontief_inverse", "leontief_coefficient", table_id, p)
        np.testing.assert_allclose(warehouse_L, L_mrio, atol=1e-9)
        np.testing.assert_allclose(warehouse_L, L, atol=1e-9)
        output = _multiplier(connection, table_id, "output", "type_1", "multiplier", p)
        va = _multiplier(connection, table_id, "value_added", "type_1", "total_effect", p)
        income = _multiplier(connection, table_id, "compensation", "type_2", "multiplier", p)
        linkages = connection.execute(
            "select industry_code, backward_linkage, forward_linkage, is_key_sector "
            "from marts.fct_linkages where table_id = ?",
            [table_id],
        ).df().set_index("industry_code").reindex(p)
        leakage = connection.execute(
            "select count(*) from marts.fct_import_leakage where table_id = ?", [table_id]
        ).fetchone()[0]
    # pymrio's multipliers: M = S L with S the stressor per unit of output
    np.testing.assert_allclose(output, L_mrio.sum(axis=0), atol=1e-9)
    np.testing.assert_allclose(va, pymrio.calc_M(pd.DataFrame([kz["va"] / x], columns=p),
                                                 pd.DataFrame(L_mrio, index=p, columns=p)).to_numpy()[0],
                               atol=1e-9)
    # Type II: invert the closed (n + 1) matrix explicitly
    closed = np.zeros((69, 69))
    closed[:68, :68] = A
    closed[68, :68] = kz["comp"] / x
    closed[:68, 68] = household / kz["comp"].sum()
    closed_L = np.linalg.inv(np.eye(69) - closed)
    np.testing.assert_allclose(income, closed_L[68, :68] / (kz["comp"] / x), rtol=1e-9)
    # Rasmussen backward linkage and Ghosh forward linkage
    backward = 68 * L.sum(axis=0) / L.sum()
    G = L * x[None, :] / x[:, None]
    forward = 68 * G.sum(axis=1) / G.sum()
    np.testing.assert_allclose(linkages["backward_linkage"].to_numpy(), backward, atol=1e-9)
    np.testing.assert_allclose(linkages["forward_linkage"].to_numpy(), forward, atol=1e-9)
    assert (linkages["is_key_sector"].to_numpy() == ((backward > 1) & (forward > 1))).all()
    assert leakage == (68 if table_id == DOMESTIC else 0)


def test_kz_industry_table_and_comparison_marts(refreshed, kz):
    with duckdb.connect(str(refreshed["published"]), read_only=True) as connection:
        tables = connection.execute(
            "select table_id, flow_basis, n_industries, has_employment, answers from marts.dim_io_table "
            "where economy_code = 'KZ' order by table_id"
        ).df()
        comparison = connection.execute("select * from marts.fct_template_comparison").df()
        templates = connection.execute(
            "select count(*) from marts.dim_cluster where table_id = ? and name_kk is not null", [DOMESTIC]
        ).fetchone()[0]
    assert tables["table_id"].tolist() == [INDUSTRY, DOMESTIC, TOTAL]
    assert tables["n_industries"].tolist() == [72, 68, 68]
    assert not tables["has_employment"].any() and tables["answers"].notna().all()
    assert sorted(comparison["recomputed_component"]) == list(range(1, 8))
    assert templates > 0


def test_grouped_location_quotients_weight_members_by_employment_and_keep_gaps():
    regional = {"B": 10.0, "C": 30.0, "D": 5.0}
    national = {"B": 100.0, "C": 600.0, "D": 50.0, "T": 1.0}
    slq = io.grouped_location_quotients(
        regional, national, 200.0, 5000.0, {"mining": ["B"], "industry": ["B", "C"], "t": ["T"], "x": ["Z"]}
    )
    assert slq["mining"] == pytest.approx((10 / 200) / (100 / 5000))
    assert slq["industry"] == pytest.approx((40 / 200) / (700 / 5000))
    assert np.isnan(slq["t"]) and np.isnan(slq["x"])  # no regional figure / unknown member: not 0 or 1


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_kz_report_section_renders_the_comparison_in_the_language(refreshed, language):
    from dagster_project.reports.captions import Captions
    from dagster_project.reports.sections import kz_input_output
    from dagster_project.reports.warehouse_tables import WarehouseTables

    with duckdb.connect(str(refreshed["published"]), read_only=True) as connection:
        section = kz_input_output.build(WarehouseTables(connection), Captions.load(language))
        t3 = connection.execute(
            "select published_output_multiplier, national_output_multiplier "
            "from marts.fct_s003_t3_multiplier_comparison where industry_code = 'metal_ore_mining'"
        ).fetchone()
    page = "".join(section.parts)
    assert section.status == "built"
    assert kz_input_output.TEXT["t2"][language] in page.replace("&#x27;", "'")
    separator = "," if language in ("kk", "ru") else "."
    assert f"1{separator}806" in page and f"{t3[1]:.3f}".replace(".", separator) in page
