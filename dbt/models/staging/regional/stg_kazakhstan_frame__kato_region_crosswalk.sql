with

source as (
    select * from {{ source('kazakhstan_frame', 'kz_frame_kato_region_crosswalk') }}
),

renamed as (
    select
        -- ids
        economy_code,
        from_region_code,
        to_region_code,
        -- change
        change_type,
        cast(nullif(change_date, '') as date) as change_date,
        cast(nullif(first_year_of_change, '') as integer) as first_year_of_change,
        note,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
