-- The cells of the BNS input-output and supply-use releases that make up each Kazakhstan
-- table of io_tables.csv, in the shape of int_io_source_cells_labelled (source_table =
-- the table's source name in kz_bns_io_layout.csv). A cell belongs to a source table when
-- its row and its column both match a line of that source table and BNS table (sheet);
-- bns_code '*' matches every code of the kind, so the 68 products and 72 industries are
-- not listed one by one. Positions are the cell's row and column in its sheet, identical
-- across the sheets of one workbook, so products keep BNS's order on both axes.
with

cells as (
    select * from {{ ref('stg_kazakhstan_bns__io_input_output_2023') }}
    union all by name
    select * from {{ ref('stg_kazakhstan_bns__io_supply_use_2023') }}
),

layout as (
    select * from {{ ref('stg_io__kz_bns_layout') }}
),

positioned as (
    select
        *,
        -- Excel column letters to a 1-based number (A = 1, Z = 26, AA = 27, ...).
        case length(_source_column)
            when 1 then ascii(_source_column) - 64
            when 2 then (ascii(substr(_source_column, 1, 1)) - 64) * 26
                + ascii(substr(_source_column, 2, 1)) - 64
            else (ascii(substr(_source_column, 1, 1)) - 64) * 676
                + (ascii(substr(_source_column, 2, 1)) - 64) * 26
                + ascii(substr(_source_column, 3, 1)) - 64
        end as column_number,
    from cells
),

labelled as (
    select
        row_layout.source_table,
        positioned._source_row as row_position,
        row_layout.role as row_role,
        coalesce(row_layout.code, positioned.row_code) as row_code,
        positioned.column_number as column_position,
        column_layout.role as column_role,
        coalesce(column_layout.code, positioned.column_code) as column_code,
        positioned.value * column_layout.sign * row_layout.sign as value,
        case
            when positioned.gap_marker is not null then 'gap'
            when positioned.value is null then 'empty'
            else 'published'
        end as value_status,
        coalesce(positioned.gap_marker, cast(positioned.value as varchar)) as cell_text,
        positioned.row_label,
        positioned.row_label as layout_row_label,
        positioned.column_label,
        positioned._source_file,
        positioned.table_code as bns_table_code,
        positioned._source_sheet,
        positioned._source_cell,
    from positioned
    inner join layout as row_layout
        on row_layout.axis = 'row'
        and positioned.release_id = row_layout.release_id
        and positioned.table_code = row_layout.table_code
        and positioned.row_kind = row_layout.bns_kind
        and (row_layout.bns_code = '*' or positioned.row_code = row_layout.bns_code)
    inner join layout as column_layout
        on column_layout.axis = 'column'
        and row_layout.source_table = column_layout.source_table
        and positioned.release_id = column_layout.release_id
        and positioned.table_code = column_layout.table_code
        and positioned.column_kind = column_layout.bns_kind
        and (column_layout.bns_code = '*' or positioned.column_code = column_layout.bns_code)
)

select * from labelled
