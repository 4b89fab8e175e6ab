with

source as (
    select * from {{ source('regional_frames', 'regional_frame_de_nace_a10') }}
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
        -- labels
        nullif(label_local, '') as label_local,
        label_en,
        nullif(aliases, '') as aliases,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
