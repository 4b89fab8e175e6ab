-- A failure means a row of an input-output file no longer carries the label the layout
-- (io_table_layout.csv) expects on that line: the file changed shape, so every role and
-- code read from the layout may be wrong. Unlabelled rows (ABS use table) are skipped.
select distinct
    source_table,
    row_position,
    row_label,
    layout_row_label,
from {{ ref('int_io_source_cells_labelled') }}
where row_label is not null
    and row_label is distinct from layout_row_label
