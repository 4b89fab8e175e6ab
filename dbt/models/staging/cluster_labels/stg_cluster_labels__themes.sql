with

source as (
    select * from {{ source('cluster_labels', 'cluster_themes') }}
),

renamed as (
    select
        -- ids
        theme_code,
        -- numbers
        cast(position as integer) as theme_position,
        -- labels
        label_kk,
        label_ru,
        label_en,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
