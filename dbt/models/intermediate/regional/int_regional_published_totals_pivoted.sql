-- Totals a release prints itself (rows or columns the loader resolved to the
-- reserved code TOTAL): the economy's total per industry, each region's total
-- over all activities, and the grand total. fct_location_quotients uses them
-- in place of the sums where present; fct_regional_total_reconciliation
-- reports how far they differ from the sums.
with

observations as (
    select * from {{ ref('int_regional_observations_unioned') }}
    where is_region_total or is_industry_total
),

pivoted as (
    select
        economy_code,
        classification,
        year,
        measure,
        case
            when is_region_total and is_industry_total then 'economy'
            when is_industry_total then 'region'
            else 'industry'
        end as total_kind,
        case when not is_region_total then region_code end as region_code,
        case when not is_industry_total then industry_code end as industry_code,
        value as published_value,
        gap_marker,
        unit,
        _source_file,
        _source_row,
    from observations
)

select * from pivoted
