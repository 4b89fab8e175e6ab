with

source as (
    select * from {{ source('cluster_labels', 'cluster_io_industry_themes') }}
),

renamed as (
    select
        -- ids
        io_table_id as table_id,
        industry_code,
        theme_code,
        -- labels
        industry_label_en,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
