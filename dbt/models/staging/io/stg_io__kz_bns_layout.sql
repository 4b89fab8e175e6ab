-- kz_bns_io_layout.csv: which cells of the BNS input-output and supply-use releases make up
-- each Kazakhstan table, and the role of their rows and columns; typed only.
with

source as (
    select * from {{ source('io', 'io_kz_bns_layout') }}
),

renamed as (
    select
        -- ids
        source_table,
        release_id,
        table_code,
        axis,
        bns_kind,
        bns_code,
        -- attributes
        role,
        nullif(code, '') as code,
        cast({{ parse_number('sign', decimal='.') }} as double) as sign,
        note,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
