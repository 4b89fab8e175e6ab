with

source as (
    select * from {{ source('seeds', 'seed_s002_t1') }}
),

unpivoted as (
    unpivot source
    on y2005, y2006, y2007, pct_2007_of_2006
    into name value_column value value_text
),

renamed as (
    select
        -- ids
        's002_t1' as table_id,
        indicator_code,
        value_column,
        case when value_column like 'y%' then cast(substr(value_column, 2) as integer) else 2007 end
            as year,
        case when value_column like 'pct_%' then 'percent_of_previous_year' else 'level' end
            as measure,
        -- numbers
        cast(row_no as integer) as row_no,
        {{ parse_number('value_text') }} as value,
        {{ gap_marker('value_text') }} as gap_marker,
        value_text,
        -- labels
        label_printed,
        case when value_column like 'pct_%' then '%' else unit_printed end as unit_printed,
        -- provenance
        _source_file,
        _source_row,
    from unpivoted
)

select * from renamed
