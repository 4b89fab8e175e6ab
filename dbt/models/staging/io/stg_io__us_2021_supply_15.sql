-- US BEA 2021 supply ('make') table, 15 industries: one row per printed cell, typed, nothing else.
with

source as (
    select * from {{ source('io', 'io_us_2021_supply_15') }}
),

cells as (
    select * exclude (_source_sha256, _loaded_at) from source
),

unpivoted as (
    -- include nulls: a blank cell is a row too (its status is decided downstream).
    select *
    from cells
    unpivot include nulls (cell_text for source_label in (columns(* exclude ("Name", "_source_file", "_source_row"))))
),

renamed as (
    select
        -- ids
        'io_us_2021_supply_15' as source_table,
        cast(_source_row as integer) as source_line,
        "Name" as row_label,
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
