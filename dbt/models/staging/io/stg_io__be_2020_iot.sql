-- Belgium 2020 OECD table: one row per printed cell, typed, nothing else.
-- The file's first header cell is empty; the loader (pandas -> DuckDB) names that column C0.
{{ io_cell_staging('io_be_2020_iot', row_label='C0', label_columns=['C0']) }}
