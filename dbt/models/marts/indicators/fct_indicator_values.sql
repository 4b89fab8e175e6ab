{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='year',
        on_schema_change='fail',
        tags=['yearly'],
    )
}}
-- The published indicator tables as time series: one row per indicator, year
-- and measure, for the tables printed by year (002 Table 1, 004's industry
-- table). Partitioned by year: a run for some years replaces only their rows.
with

published as (
    select * from {{ ref('fct_published_indicators') }}
    where entity_dimension = 'indicator'
        and year is not null
        and {{ partition_years_filter('year') }}
),

final as (
    select
        table_id,
        entity_code as indicator_code,
        year,
        measure,
        value_column,
        published_value,
        gap_marker,
        unit_printed,
        label_kk,
        label_ru,
        label_en,
        price_basis,
        validation_status,
        failed_checks,
        suggested_value,
    from published
)

select * from final
