with

source as (
    select * from {{ source('kazakhstan_frame', 'kz_frame_kato_regions') }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        region_code,
        kato_prefix,
        level as region_level,
        comparable_unit_code,
        -- labels
        name_kk,
        name_ru,
        name_en,
        nullif(aliases, '') as aliases,
        -- validity
        cast(nullif(valid_from, '') as date) as valid_from,
        cast(nullif(valid_to, '') as date) as valid_to,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
