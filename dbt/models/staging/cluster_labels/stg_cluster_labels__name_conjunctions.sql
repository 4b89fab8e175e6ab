with

source as (
    select * from {{ source('cluster_labels', 'cluster_name_conjunctions') }}
),

renamed as (
    select
        -- ids
        language,
        -- labels
        conjunction,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
