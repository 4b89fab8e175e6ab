with

source as (
    select * from {{ source('kazakhstan_frame', 'kz_frame_oked_s003_io_crosswalk') }}
),

renamed as (
    select
        -- ids
        economy_code,
        from_classification,
        from_industry_code,
        to_classification,
        to_industry_code,
        -- mapping
        relation,
        nullif(note, '') as note,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
