with

source as (
    select * from {{ source('regional_frames', 'regional_frame_de_laender') }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        region_code,
        level as region_level,
        ags_code,
        nuts1_code,
        -- labels
        name_local,
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
