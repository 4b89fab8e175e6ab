-- Germany 1995 symmetric table (Eurostat manual): one row per printed cell, typed, nothing else.
{{ io_cell_staging(
    'io_de_1995_siot',
    row_label='prod_na',
    label_columns=['prod_na', 'prod_na_lab', 'numeric_label', 'quadrant', 'iotables_row'],
) }}
