-- Published Type I compensation-of-employees multipliers of the Netherlands 2000 table; typed only.
with

source as (
    select * from {{ source('io_reference', 'io_reference_nl_2000_compensation_multipliers') }}
),

renamed as (
    select
        -- ids
        'nl_2000' as table_id,
        sector as source_label,
        -- numbers
        {{ parse_number('compensation_multiplier_type1', decimal='.') }} as published_value,
        compensation_multiplier_type1 as value_text,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
