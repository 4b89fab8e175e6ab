with

source as (
    select * from {{ source('kazakhstan_oked', 'kz_oked_full') }}
),

renamed as (
    select
        -- ids
        code as industry_code,
        level as industry_level,
        level_ru as industry_level_ru,
        parent_code,
        section_code,
        -- labels, as published
        title_ru,
        nullif(description_ru, '') as description_ru,
        label_as_published,
        -- provenance
        cast(_source_row as integer) as position,
        _source_file,
        _source_sha256,
    from source
)

select * from renamed
