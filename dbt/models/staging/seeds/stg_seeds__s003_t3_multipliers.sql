with

source as (
    select * from {{ source('seeds', 'seed_s003_t3') }}
),

unpivoted as (
    unpivot source
    on output_multiplier, value_added_multiplier, household_income_multiplier
    into name value_column value value_text
),

renamed as (
    select
        -- ids
        's003_t3' as table_id,
        industry_code,
        value_column,
        replace(value_column, '_multiplier', '') as multiplier_type,
        -- numbers
        cast(row_no as integer) as row_no,
        {{ parse_number('value_text') }} as value,
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
