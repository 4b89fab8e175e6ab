-- The region × industry cells of every release, without the published totals
-- (those go to int_regional_published_totals_pivoted), each marked with
-- whether its industry counts towards region and economy totals. This is the
-- input of fct_location_quotients; gaps stay in as NULL values.
with

observations as (
    select * from {{ ref('int_regional_observations_unioned') }}
    where not is_region_total and not is_industry_total
),

industries as (
    select * from {{ ref('int_industries_unioned') }}
),

classified as (
    select
        observations.economy_code,
        observations.classification,
        observations.year,
        observations.region_code,
        observations.industry_code,
        observations.measure,
        observations.unit,
        observations.value,
        observations.gap_marker,
        industries.in_partition,
        observations.back_cast,
        observations._source_sha256,
    from observations
    inner join industries
        on observations.economy_code = industries.economy_code
        and observations.classification = industries.classification
        and observations.industry_code = industries.industry_code
)

select * from classified
