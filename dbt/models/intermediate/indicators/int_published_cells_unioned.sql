-- Every published numeric cell of the seed tables in one shape, so validation
-- flags and labels can be attached uniformly. Cells left blank in print are
-- not published figures and are left out; gaps ('-') are kept with their marker.
with

s001 as (
    select table_id, 'country' as entity_dimension, country_code as entity_code, value_column,
        cast(null as integer) as year, 'factor' as measure, cast(null as varchar) as unit_printed,
        value_text, value, gap_marker, _source_file, _source_row
    from {{ ref('stg_seeds__s001_t1_country_factors') }}
),

s002 as (
    select table_id, 'indicator', indicator_code, value_column, year, measure, unit_printed,
        value_text, value, gap_marker, _source_file, _source_row
    from {{ ref('stg_seeds__s002_t1_indicators') }}
),

s003_t1 as (
    select table_id, 'country', country_code, value_column, cast(null as integer), 'cluster_count',
        'clusters', value_text, value, gap_marker, _source_file, _source_row
    from {{ ref('stg_seeds__s003_t1_clusters_by_country') }}
),

s003_t2 as (
    select table_id, 'industry', industry_code, value_column, cast(null as integer), 'loading',
        cast(null as varchar), value_text, loading, gap_marker, _source_file, _source_row
    from {{ ref('stg_seeds__s003_t2_component_loadings') }}
),

s003_t3 as (
    select table_id, 'industry', industry_code, value_column, cast(null as integer),
        multiplier_type || '_multiplier', cast(null as varchar), value_text, value, gap_marker,
        _source_file, _source_row
    from {{ ref('stg_seeds__s003_t3_multipliers') }}
),

s004_t2 as (
    select table_id, 'indicator', indicator_code, value_column, year, measure, unit_printed,
        value_text, value, gap_marker, _source_file, _source_row
    from {{ ref('stg_seeds__s004_t2_industry_indicators') }}
    where is_printed
)

select * from s001
union all
select * from s002
union all
select * from s003_t1
union all
select * from s003_t2
union all
select * from s003_t3
union all
select * from s004_t2
