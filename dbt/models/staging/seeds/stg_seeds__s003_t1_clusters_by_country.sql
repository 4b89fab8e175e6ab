with

source as (
    select * from {{ source('seeds', 'seed_s003_t1') }}
),

renamed as (
    select
        -- ids
        's003_t1' as table_id,
        country_code,
        'cluster_count' as value_column,
        -- numbers
        cast(row_no as integer) as row_no,
        {{ parse_number('cluster_count') }} as value,
        {{ gap_marker('cluster_count') }} as gap_marker,
        cluster_count as value_text,
        cast(table_line as integer) as printed_line,
        -- labels
        label_printed,
        table_block as printed_block,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
