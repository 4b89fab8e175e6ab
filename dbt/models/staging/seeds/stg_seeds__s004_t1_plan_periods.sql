with

source as (
    select * from {{ source('seeds', 'seed_s004_t1') }}
),

renamed as (
    select
        -- ids
        's004_t1' as table_id,
        plan_code,
        -- numbers
        cast(row_no as integer) as row_no,
        cast({{ parse_number('year_from') }} as integer) as year_from,
        cast({{ parse_number('year_to') }} as integer) as year_to,
        -- labels
        label_printed,
        nullif(description_printed, '') as description_printed,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
