-- US BEA 2021 supply ('make') table, 15 industries: one row per printed cell, typed, nothing else.
{{ io_cell_staging('io_us_2021_supply_15', row_label='Name', label_columns=['Name']) }}
