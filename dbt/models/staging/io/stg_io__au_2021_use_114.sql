-- Australia 2020-21 use table, 114 industries: one row per printed cell, typed, nothing else.
-- The file has no row-label column: rows are identified by their line (source_line)
-- and named through io_table_layout.csv downstream.
with

source as (
    select * from {{ source('io', 'io_au_2021_use_114') }}
),

cells as (
    select * exclude (_source_sha256, _loaded_at) from source
),

unpivoted as (
    -- include nulls: a blank cell is a row too (its status is decided downstream).
    select *
    from cells
    unpivot include nulls (cell_text for source_label in (columns(* exclude ("_source_file", "_source_row"))))
),

renamed as (
    select
        -- ids
        'io_au_2021_use_114' as source_table,
        cast(_source_row as integer) as source_line,
        cast(null as varchar) as row_label,
        source_label,
        -- numbers
        {{ parse_number('cell_text', decimal='.') }} as value,
        {{ gap_marker('cell_text') }} as gap_marker,
        cell_text,
        -- provenance
        _source_file,
    from unpivoted
)

select * from renamed
