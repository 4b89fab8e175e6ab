with

source as (
    select * from {{ source('seeds', 'seed_s003_t2') }}
),

unpivoted as (
    unpivot source
    on pc1, pc2, pc3, pc4, pc5, pc6, pc7
    into name value_column value value_text
),

renamed as (
    select
        -- ids
        's003_t2' as table_id,
        industry_code,
        value_column,
        cast(substr(value_column, 3) as integer) as component,
        -- numbers
        cast(row_no as integer) as row_no,
        {{ parse_number('value_text') }} as loading,
        {{ gap_marker('value_text') }} as gap_marker,
        value_text,
        -- labels
        label_printed,
        -- provenance
        _source_file,
        _source_row,
    from unpivoted
)

select * from renamed
