-- Australia 2020-21 supply ('make') table, 114 industries: one row per printed cell, typed, nothing else.
-- The file's first header cell is empty; the loader (pandas -> DuckDB) names that column C0.
-- ABS prints n.p. (not available for publication) for confidential cells: a gap, not a
-- zero. parse_number() does not know that marker yet, so it is recognised here first.
with

source as (
    select * from {{ source('io', 'io_au_2021_supply_114') }}
),

cells as (
    select * exclude (_source_sha256, _loaded_at) from source
),

unpivoted as (
    -- include nulls: a blank cell is a row too (its status is decided downstream).
    select *
    from cells
    unpivot include nulls (cell_text for source_label in (columns(* exclude ("C0", "_source_file", "_source_row"))))
),

renamed as (
    select
        -- ids
        'io_au_2021_supply_114' as source_table,
        cast(_source_row as integer) as source_line,
        "C0" as row_label,
        source_label,
        -- numbers
        case when trim(cell_text) = 'n.p.' then null else {{ parse_number('cell_text', decimal='.') }} end as value,
        coalesce({{ gap_marker('cell_text') }}, case when trim(cell_text) = 'n.p.' then 'n.p.' end) as gap_marker,
        cell_text,
        -- provenance
        _source_file,
    from unpivoted
)

select * from renamed
