-- io_tables.csv: the register of input-output tables the warehouse builds; typed only.
with

source as (
    select * from {{ source('io', 'io_tables') }}
),

renamed as (
    select
        -- ids
        table_id,
        economy_code,
        cast({{ parse_number('year', decimal='.') }} as integer) as year,
        -- attributes
        table_kind,
        nullif(symmetric_raw_table, '') as symmetric_raw_table,
        nullif(supply_raw_table, '') as supply_raw_table,
        nullif(use_raw_table, '') as use_raw_table,
        unit,
        flow_basis,
        valuation,
        source_short,
        licence,
        answers,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
