with

source as (
    select * from {{ source('cluster_labels', 'cluster_io_industry_nace_sections') }}
),

renamed as (
    select
        -- ids
        io_table_id as table_id,
        industry_code,
        nace_section,
        -- numbers
        cast(sections_of_industry as integer) as sections_of_industry,
        -- labels
        nullif(trim(note), '') as note,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
