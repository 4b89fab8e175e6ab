-- Netherlands 2000 symmetric table: one row per printed cell, typed, nothing else.
with

source as (
    select * from {{ source('io', 'io_nl_2000_siot') }}
),

cells as (
    select * exclude (_source_sha256, _loaded_at) from source
),

unpivoted as (
    -- include nulls: a blank cell is a row too (its status is decided downstream).
    select *
    from cells
    unpivot include nulls (cell_text for source_label in (columns(* exclude ("prod_na", "_source_file", "_source_row"))))
),

renamed as (
    select
        -- ids
        'io_nl_2000_siot' as source_table,
        cast(_source_row as integer) as source_line,
        "prod_na" as row_label,
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
