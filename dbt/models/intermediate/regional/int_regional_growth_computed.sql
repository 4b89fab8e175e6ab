-- Compound annual growth of every region-industry cell over the span of its
-- panel (first to last year of an economy, classification and measure), beside
-- the growth of the industry nationally, of the region and of the economy.
-- Single-year panels have no row. CAGR = (end / base)^(1 / years) - 1, NULL when
-- either level is missing (a gap) or not positive.
-- A region whose territory changed within the span (Kazakhstan's Almaty,
-- Karaganda and East Kazakhstan oblasts, which lost Zhetisu, Ulytau and Abai
-- in 2022) has no row: its base and end levels describe different
-- territories; int_comparable_unit_growth_computed carries the comparable series.
-- Published as fct_regional_growth.
with

territory_changes as (
    select economy_code, from_region_code as region_code, first_year_of_change
    from {{ ref('int_region_crosswalk_unioned') }}
    where first_year_of_change is not null
),

growth as (
{{ regional_growth(ref('int_location_quotients_computed'), 'territory_changes') }}
)

select * from growth
