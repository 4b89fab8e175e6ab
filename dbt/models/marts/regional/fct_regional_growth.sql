-- Compound annual growth of every region-industry cell over the span of its
-- panel (first to last year of an economy, classification and measure), beside
-- the growth of the industry nationally, of the region and of the economy.
-- Single-year panels have no row. CAGR = (end / base)^(1 / years) - 1, NULL when
-- either level is missing (a gap) or not positive.
with

lq as (
    select * from {{ ref('fct_location_quotients') }}
),

spans as (
    select
        economy_code,
        classification,
        measure,
        min(year) as base_year,
        max(year) as end_year,
    from lq
    group by all
    having min(year) < max(year)
),

base as (
    select lq.*, spans.end_year
    from lq
    inner join spans
        on lq.economy_code = spans.economy_code
        and lq.classification = spans.classification
        and lq.measure = spans.measure
        and lq.year = spans.base_year
),

ends as (
    select lq.*
    from lq
    inner join spans
        on lq.economy_code = spans.economy_code
        and lq.classification = spans.classification
        and lq.measure = spans.measure
        and lq.year = spans.end_year
),

joined as (
    select
        base.economy_code,
        base.classification,
        base.measure,
        base.region_code,
        base.industry_code,
        base.unit,
        base.in_partition,
        base.year as base_year,
        ends.year as end_year,
        ends.year - base.year as years,
        base.value as value_base,
        ends.value as value_end,
        base.industry_total as industry_total_base,
        ends.industry_total as industry_total_end,
        base.region_total as region_total_base,
        ends.region_total as region_total_end,
        base.economy_total as economy_total_base,
        ends.economy_total as economy_total_end,
    from base
    inner join ends
        on base.economy_code = ends.economy_code
        and base.classification = ends.classification
        and base.measure = ends.measure
        and base.region_code = ends.region_code
        and base.industry_code = ends.industry_code
),

final as (
    select
        *,
        case when value_base > 0 and value_end > 0
            then power(value_end / value_base, 1.0 / years) - 1 end as cagr,
        case when industry_total_base > 0 and industry_total_end > 0
            then power(industry_total_end / industry_total_base, 1.0 / years) - 1 end as industry_cagr,
        case when region_total_base > 0 and region_total_end > 0
            then power(region_total_end / region_total_base, 1.0 / years) - 1 end as region_cagr,
        case when economy_total_base > 0 and economy_total_end > 0
            then power(economy_total_end / economy_total_base, 1.0 / years) - 1 end as economy_cagr,
    from joined
)

select * from final
