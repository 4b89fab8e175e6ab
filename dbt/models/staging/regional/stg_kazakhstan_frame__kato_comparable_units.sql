with

source as (
    select * from {{ source('kazakhstan_frame', 'kz_frame_kato_comparable_units') }}
),

renamed as (
    select
        -- ids
        economy_code,
        comparable_unit_code,
        -- labels
        name_en,
        name_ru,
        -- members, '|'-separated КАТО codes
        member_region_codes,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
