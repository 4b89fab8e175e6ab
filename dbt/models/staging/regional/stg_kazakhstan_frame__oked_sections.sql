with

source as (
    select * from {{ source('kazakhstan_frame', 'kz_frame_oked_sections') }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        industry_code,
        level as industry_level,
        nullif(parent_code, '') as parent_code,
        cast(in_partition as boolean) as in_partition,
        cast(null as integer) as position,
        -- labels and how far each is official
        label_kk,
        label_ru,
        label_en,
        label_kk_status,
        label_ru_status,
        label_en_status,
        nullif(aliases, '') as aliases,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
