with

source as (
    select * from {{ source('seeds', 'seed_s004_t2') }}
),

unpivoted as (
    unpivot source
    on y1995, y2000, y2004, pct_2004_of_1995, times_2004_of_1995, pct_2004_of_2000,
        times_2004_of_2000
    into name value_column value value_text
),

renamed as (
    select
        -- ids
        's004_t2' as table_id,
        indicator_code,
        value_column,
        case when value_column like 'y%' then cast(substr(value_column, 2) as integer) else 2004 end
            as year,
        case
            when value_column like 'pct_%' then 'percent_of_base_year'
            when value_column like 'times_%' then 'times_base_year'
            else 'level'
        end as measure,
        case when value_column like '%_of_%' then cast(right(value_column, 4) as integer) end
            as base_year,
        -- numbers
        cast(row_no as integer) as row_no,
        {{ parse_number('value_text') }} as value,
        {{ gap_marker('value_text') }} as gap_marker,
        value_text,
        value_text <> '' as is_printed,
        case when value_column = 'y2004' then nullif(y2004_footnote, '') end as footnote,
        -- labels
        label_printed,
        unit_printed,
        nullif(group_printed, '') as group_printed,
        -- provenance
        _source_file,
        _source_row,
    from unpivoted
)

select * from renamed
