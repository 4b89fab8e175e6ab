"""Assemble an industry-by-industry symmetric input-output table from published
cells: directly from a symmetric table, or from a supply (make) and a use table
under the fixed product-sales-structure assumption; check that it balances.

Import from this package (``from dagster_project.methods import supply_use as
su``); each module below holds one idea:

- ``cells.py``: the long cells of a published table (value statuses: published,
  suppressed, not published, empty) and the dense blocks they make;
- ``balance.py``: the balance checks and their tolerance (rounding of the
  printed unit, or a share of the total), :class:`TableBalanceError`;
- ``symmetric.py``: a published symmetric table, checked (:class:`SymmetricTable`);
- ``imputation.py``: confidential cells imputed from their row and column totals (RAS);
- ``conversion.py``: supply and use -> industry by industry, one function per
  step of the method (Eurostat 2008, ch. 11, model D); the steps that read the
  two tables are in ``sut_matrices.py``, the steps that check them in
  ``sut_balances.py``;
- ``assembly.py``: every table of the register, and its long form for the warehouse.

No Dagster or DuckDB here: pandas frames in, numpy arrays and pandas frames out.
"""

from dagster_project.methods.supply_use.assembly import assemble_tables, table_to_long
from dagster_project.methods.supply_use.balance import (
    TableBalanceError,
    check_output_not_negative,
    check_sums,
    rounding_unit,
    value_added_check,
    zero_gaps,
)
from dagster_project.methods.supply_use.cells import (
    ADDITIVE_PRIMARY_ROLES,
    DERIVED,
    EMPTY,
    FINAL_DEMAND_ROLES,
    IMPUTED,
    NOT_PUBLISHED,
    PRODUCT_ROLES,
    PUBLISHED,
    SUPPRESSED,
    VALUE_ADDED_COMPONENTS,
)
from dagster_project.methods.supply_use.conversion import (
    IndustryFlows,
    derived_row_gap,
    fixed_product_sales_structure,
    industry_flows,
    market_shares,
    symmetric_from_supply_use,
)
from dagster_project.methods.supply_use.imputation import impute_from_totals
from dagster_project.methods.supply_use.sut_balances import supply_balances, use_balances
from dagster_project.methods.supply_use.sut_matrices import (
    SupplyMatrix,
    SupplyUseLayout,
    UseMatrix,
    supply_matrix,
    supply_use_layout,
    use_matrix,
)
from dagster_project.methods.supply_use.symmetric import (
    AS_PUBLISHED,
    FIXED_PRODUCT_SALES,
    SymmetricTable,
    symmetric_from_cells,
)

__all__ = [
    "ADDITIVE_PRIMARY_ROLES",
    "AS_PUBLISHED",
    "DERIVED",
    "EMPTY",
    "FINAL_DEMAND_ROLES",
    "FIXED_PRODUCT_SALES",
    "IMPUTED",
    "NOT_PUBLISHED",
    "PRODUCT_ROLES",
    "PUBLISHED",
    "SUPPRESSED",
    "VALUE_ADDED_COMPONENTS",
    "IndustryFlows",
    "SupplyMatrix",
    "SupplyUseLayout",
    "SymmetricTable",
    "TableBalanceError",
    "UseMatrix",
    "assemble_tables",
    "check_output_not_negative",
    "check_sums",
    "derived_row_gap",
    "fixed_product_sales_structure",
    "impute_from_totals",
    "industry_flows",
    "market_shares",
    "rounding_unit",
    "supply_balances",
    "supply_matrix",
    "supply_use_layout",
    "symmetric_from_cells",
    "symmetric_from_supply_use",
    "table_to_long",
    "use_balances",
    "use_matrix",
    "value_added_check",
    "zero_gaps",
]
