-- Every printed cell of every input-output file with the role and warehouse code of its
-- row and column (from io_table_layout.csv) and a status that keeps gaps apart from
-- zeros. Rows join the layout by line number (the ABS use file has no row labels),
-- columns by header text. A cell whose row or column is missing from the layout keeps
-- NULL roles, which the not_null tests turn into a failure. The Kazakhstan tables come
-- from the BNS releases, already one row per cell: int_io_kz_cells_labelled labels them.
with

cells as (
    select * from {{ ref('stg_io__de_1995_siot') }}
    union all by name
    select * from {{ ref('stg_io__nl_2000_siot') }}
    union all by name
    select * from {{ ref('stg_io__be_2020_iot') }}
    union all by name
    select * from {{ ref('stg_io__us_2021_supply_15') }}
    union all by name
    select * from {{ ref('stg_io__us_2021_use_15') }}
    union all by name
    select * from {{ ref('stg_io__us_2021_supply_71') }}
    union all by name
    select * from {{ ref('stg_io__us_2021_use_71') }}
    union all by name
    select * from {{ ref('stg_io__au_2021_supply_114') }}
    union all by name
    select * from {{ ref('stg_io__au_2021_use_114') }}
),

layout_rows as (
    select source_table, position, source_label, role, code
    from {{ ref('stg_io__table_layout') }}
    where axis = 'row'
),

layout_columns as (
    select source_table, position, source_label, role, code
    from {{ ref('stg_io__table_layout') }}
    where axis = 'column'
),

labelled as (
    select
        cells.source_table,
        cells.source_line as row_position,
        layout_rows.role as row_role,
        layout_rows.code as row_code,
        layout_columns.position as column_position,
        layout_columns.role as column_role,
        layout_columns.code as column_code,
        cells.value,
        case
            when cells.gap_marker = '---' then 'suppressed'
            when cells.gap_marker = 'n.p.' then 'not_published'
            when cells.value is null and nullif(trim(cells.cell_text), '') is null then 'empty'
            when cells.gap_marker is not null then 'gap'
            else 'published'
        end as value_status,
        cells.cell_text,
        cells.row_label,
        layout_rows.source_label as layout_row_label,
        cells.source_label as column_label,
        cells._source_file,
    from cells
    left join layout_rows
        on cells.source_table = layout_rows.source_table
        and cells.source_line = layout_rows.position
    left join layout_columns
        on cells.source_table = layout_columns.source_table
        and cells.source_label = layout_columns.source_label
),

kazakhstan as (
    select * exclude (bns_table_code, _source_sheet, _source_cell)
    from {{ ref('int_io_kz_cells_labelled') }}
)

select * from labelled
union all by name
select * from kazakhstan
