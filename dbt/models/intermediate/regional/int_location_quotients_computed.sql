{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key="economy_code || '|' || classification || '|' || cast(year as varchar) || '|' || measure",
        on_schema_change='fail',
        tags=['yearly'],
    )
}}
-- Simple location quotients LQ = (e_ri / e_r) / (E_i / E) of every region and
-- industry, per economy, classification, year and measure (a "partition").
-- Totals are the release's own where it prints them (a region's "all
-- activities", the nation's row, the grand total) and sums of the cells
-- otherwise; the *_published flags say which, and
-- fct_regional_total_reconciliation reports how far the two differ. The mart
-- fct_location_quotients publishes these rows; the regional and cluster models
-- downstream read them here.
-- Only industries marked in_partition count towards region and economy totals,
-- so an "of which" line (manufacturing inside B-E) is never counted twice.
-- Totals are grouped aggregates joined back, not window functions: at 15 M
-- rows three differently partitioned windows cost three sorts (bench/).
-- Dagster-partitioned by year (tag yearly): a run covers the years of its
-- partition range. Within them it is incremental: an (economy, classification,
-- year, measure) partition is rebuilt whole when the set of source files
-- (checksums) behind it changed (macro lq_partition_changed); --full-refresh
-- rebuilds everything.
with

-- not materialized: the cells are read three times (two sums and the join
-- back), and scanning the columnar table again is cheaper than DuckDB's
-- default of materialising a CTE that is used more than once.
cells as not materialized (
    select * from {{ ref('int_regional_cells_classified') }} as cells
    where {{ partition_years_filter('cells.year') }}
    {% if is_incremental() %}
    and {{ lq_partition_changed(ref('int_regional_cells_classified'), 'cells') }}
    {% endif %}
),

published as (
    select * from {{ ref('int_regional_published_totals_pivoted') }}
    where published_value is not null
),

region_sums as (
    select
        economy_code,
        classification,
        year,
        measure,
        region_code,
        sum(value) filter (where in_partition) as region_total_summed,
    from cells
    group by economy_code, classification, year, measure, region_code
),

region_totals as (
    select
        region_sums.economy_code,
        region_sums.classification,
        region_sums.year,
        region_sums.measure,
        region_sums.region_code,
        coalesce(published.published_value, region_sums.region_total_summed) as region_total,
        published.published_value is not null as region_total_published,
    from region_sums
    left join published
        on published.total_kind = 'region'
        and region_sums.economy_code = published.economy_code
        and region_sums.classification = published.classification
        and region_sums.year = published.year
        and region_sums.measure = published.measure
        and region_sums.region_code = published.region_code
),

economy_sums as (
    select
        economy_code,
        classification,
        year,
        measure,
        sum(region_total) as economy_total_summed,
    from region_totals
    group by economy_code, classification, year, measure
),

economy_totals as (
    select
        economy_sums.economy_code,
        economy_sums.classification,
        economy_sums.year,
        economy_sums.measure,
        coalesce(published.published_value, economy_sums.economy_total_summed) as economy_total,
        published.published_value is not null as economy_total_published,
    from economy_sums
    left join published
        on published.total_kind = 'economy'
        and economy_sums.economy_code = published.economy_code
        and economy_sums.classification = published.classification
        and economy_sums.year = published.year
        and economy_sums.measure = published.measure
),

region_and_economy_totals as (
    select
        region_totals.*,
        economy_totals.economy_total,
        economy_totals.economy_total_published,
    from region_totals
    inner join economy_totals
        on region_totals.economy_code = economy_totals.economy_code
        and region_totals.classification = economy_totals.classification
        and region_totals.year = economy_totals.year
        and region_totals.measure = economy_totals.measure
),

industry_sums as (
    select
        economy_code,
        classification,
        year,
        measure,
        industry_code,
        sum(value) as industry_total_summed,
    from cells
    group by economy_code, classification, year, measure, industry_code
),

industry_totals as (
    select
        industry_sums.economy_code,
        industry_sums.classification,
        industry_sums.year,
        industry_sums.measure,
        industry_sums.industry_code,
        coalesce(published.published_value, industry_sums.industry_total_summed) as industry_total,
        published.published_value is not null as industry_total_published,
    from industry_sums
    left join published
        on published.total_kind = 'industry'
        and industry_sums.economy_code = published.economy_code
        and industry_sums.classification = published.classification
        and industry_sums.year = published.year
        and industry_sums.measure = published.measure
        and industry_sums.industry_code = published.industry_code
),

-- Left joins keep the 15 M-row cells as the probe side: with inner joins the
-- optimiser may first join the two small total tables to each other (their
-- product is as large as the panel) and then probe that with the cells.
quotients as (
    select
        cells.economy_code,
        cells.classification,
        cells.year,
        cells.region_code,
        cells.industry_code,
        cells.measure,
        cells.unit,
        cells.value,
        cells.gap_marker,
        cells.in_partition,
        region_and_economy_totals.region_total,
        industry_totals.industry_total,
        region_and_economy_totals.economy_total,
        region_and_economy_totals.region_total_published,
        industry_totals.industry_total_published,
        region_and_economy_totals.economy_total_published,
        cells.value / nullif(region_and_economy_totals.region_total, 0)
            / nullif(industry_totals.industry_total / nullif(region_and_economy_totals.economy_total, 0), 0)
            as lq,
        cells._source_sha256,
    from cells
    left join region_and_economy_totals
        on cells.economy_code = region_and_economy_totals.economy_code
        and cells.classification = region_and_economy_totals.classification
        and cells.year = region_and_economy_totals.year
        and cells.measure = region_and_economy_totals.measure
        and cells.region_code = region_and_economy_totals.region_code
    left join industry_totals
        on cells.economy_code = industry_totals.economy_code
        and cells.classification = industry_totals.classification
        and cells.year = industry_totals.year
        and cells.measure = industry_totals.measure
        and cells.industry_code = industry_totals.industry_code
),

classified as (
    select
        economy_code,
        classification,
        year,
        region_code,
        industry_code,
        measure,
        unit,
        value,
        gap_marker,
        in_partition,
        region_total,
        industry_total,
        economy_total,
        region_total_published,
        industry_total_published,
        economy_total_published,
        lq,
        {{ lq_class('lq') }} as lq_class,
        _source_sha256,
    from quotients
)

select * from classified
