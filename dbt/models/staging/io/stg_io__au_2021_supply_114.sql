-- Australia 2020-21 supply ('make') table, 114 industries: one row per printed cell, typed, nothing else.
-- The file's first header cell is empty; the loader (pandas -> DuckDB) names that column C0.
-- ABS prints n.p. (not available for publication) for confidential cells: a gap, not a
-- zero; n.p. is in the one list of gap markers (vars.gap_markers).
{{ io_cell_staging('io_au_2021_supply_114', row_label='C0', label_columns=['C0']) }}
