-- Every cell a BNS reader counted as loaded is one fact row of the release's
-- raw table, and every fact row is such a cell: the accounting the release
-- asset wrote agrees with what the warehouse holds.
select distinct release_id, release_cells_loaded, release_facts_stored
from {{ ref('fct_kz_release_cell_accounting') }}
where release_cells_loaded <> release_facts_stored
