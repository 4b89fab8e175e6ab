-- Miller & Blair (2009) section 2.3 two-sector example as printed; typed only.
with

source as (
    select * from {{ source('io_reference', 'io_reference_miller_blair_2x2') }}
),

renamed as (
    select
        -- ids
        item,
        cast({{ parse_number('"row"', decimal='.') }} as integer) as row_number,
        cast({{ parse_number('col', decimal='.') }} as integer) as column_number,
        -- numbers
        {{ parse_number('value', decimal='.') }} as value,
        value as value_text,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
