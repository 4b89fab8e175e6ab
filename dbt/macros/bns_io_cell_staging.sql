{#- The typing of one BNS input-output or supply-use release as the release
    reader loads it (schema release.IO_CELL_COLUMNS): one row per published
    cell, typed only. Codes stay text exactly as printed ('01', '061',
    '58-63 except 61'); unlabelled rows and columns carry the SNA/ESA codes of
    data/raw/kazakhstan_bns/io_item_codes.csv. The releases share that schema
    by contract, so one body serves them all. -#}
{% macro bns_io_cell_staging(release) -%}
with

source as (
    select * from {{ source('kazakhstan_bns', release) }}
),

renamed as (
    select
        -- ids
        release_id,
        economy_code,
        cast(year as integer) as year,
        table_code,
        row_code,
        row_kind,
        column_code,
        column_kind,
        -- numbers (typed by the loader: NULL where a gap marker stands)
        cast(value as double) as value,
        gap_marker,
        unit,
        -- labels as printed
        row_label,
        column_label,
        note,
        -- provenance
        _source_file,
        _source_sha256,
        _source_sheet,
        cast(_source_row as integer) as _source_row,
        _source_column,
        _source_cell,
        _loaded_at,
    from source
)

select * from renamed
{%- endmacro %}
