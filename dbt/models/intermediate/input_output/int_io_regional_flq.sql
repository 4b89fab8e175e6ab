-- Flegg location quotients at the level of detail of a national input-output table.
-- A regional panel's industries rarely match the table's (17 WZ 2008 sections or 10 A*10
-- groups against the 6 groups of the Germany 1995 table), so the panel's cells are first
-- summed into the table's industries through the crosswalks of data/raw/io_crosswalks:
--   SLQ_g = (e_rg / e_r) / (E_g / E)   with e_rg, E_g sums over the panel industries of g
-- (the employment-weighted mean of their SLQs). The region's lambda and the diagonal rule
-- are those of the regional models (int_cross_industry_location_quotients_computed):
--   FLQ_ij = lambda * SLQ_i / SLQ_j (i <> j),  FLQ_ii = lambda * SLQ_i (Flegg & Webber 1997),
--   lambda = [log2(1 + e_r / E)]^delta.
-- A group whose panel industries include a gap, or that no panel industry covers (section A
-- is not in the 2015 Länder panel), has no SLQ: its FLQs stay NULL, never 0 or 1.
with

crosswalk as (
    select economy_code, classification, panel_industry_code, table_id, table_industry_code
    from {{ ref('stg_io_crosswalks__de_wz2008_sections') }}
    union all
    select economy_code, classification, panel_industry_code, table_id, table_industry_code
    from {{ ref('stg_io_crosswalks__de_nace_a10') }}
),

table_industries as (
    select table_id, industry_code
    from {{ ref('int_io_industries_described') }}
    where in_model
),

panel_cells as (
    select
        lq.economy_code,
        lq.classification,
        lq.year,
        lq.region_code,
        lq.measure,
        lq.industry_code,
        lq.value,
        lq.region_total,
        lq.industry_total,
        lq.economy_total,
    from {{ ref('int_location_quotients_computed') }} as lq
    where lq.in_partition
        and lq.measure = '{{ var("io_flq_measure", "employment") }}'
),

group_cells as (
    select
        panel_cells.economy_code,
        crosswalk.table_id,
        panel_cells.classification,
        panel_cells.year as panel_year,
        panel_cells.region_code,
        panel_cells.measure,
        crosswalk.table_industry_code as industry_code,
        -- A gap in any member makes the group's regional figure unknown.
        case when count(panel_cells.value) = count(*) then sum(panel_cells.value) end as regional_value,
        case when count(panel_cells.industry_total) = count(*) then sum(panel_cells.industry_total) end
            as industry_total,
        any_value(panel_cells.region_total) as region_total,
        any_value(panel_cells.economy_total) as economy_total,
        count(*) as panel_industries,
    from panel_cells
    inner join crosswalk
        on panel_cells.economy_code = crosswalk.economy_code
        and panel_cells.classification = crosswalk.classification
        and panel_cells.industry_code = crosswalk.panel_industry_code
    group by all
),

group_slq as (
    select
        *,
        regional_value / nullif(region_total, 0)
            / nullif(industry_total / nullif(economy_total, 0), 0) as slq,
    from group_cells
),

lambdas as (
    select distinct economy_code, classification, year as panel_year, region_code, measure, flq_lambda
    from {{ ref('int_cross_industry_location_quotients_computed') }}
),

-- Every (panel, region) with every pair of the table's industries, so that a pair
-- without an SLQ on either side is a row with NULL FLQ rather than a missing row.
regions as (
    select distinct economy_code, table_id, classification, panel_year, region_code, measure
    from group_slq
),

pairs as (
    select
        regions.*,
        supplying.industry_code as supplying_industry_code,
        buying.industry_code as buying_industry_code,
    from regions
    inner join table_industries as supplying on regions.table_id = supplying.table_id
    inner join table_industries as buying on regions.table_id = buying.table_id
),

quotients as (
    select
        pairs.economy_code,
        pairs.table_id,
        pairs.classification,
        pairs.panel_year,
        pairs.region_code,
        pairs.measure,
        pairs.supplying_industry_code,
        pairs.buying_industry_code,
        supplying.slq as slq_supplying,
        buying.slq as slq_buying,
        supplying.slq / nullif(buying.slq, 0) as cilq,
        lambdas.flq_lambda,
    from pairs
    left join group_slq as supplying
        on pairs.economy_code = supplying.economy_code
        and pairs.table_id = supplying.table_id
        and pairs.classification = supplying.classification
        and pairs.panel_year = supplying.panel_year
        and pairs.region_code = supplying.region_code
        and pairs.measure = supplying.measure
        and pairs.supplying_industry_code = supplying.industry_code
    left join group_slq as buying
        on pairs.economy_code = buying.economy_code
        and pairs.table_id = buying.table_id
        and pairs.classification = buying.classification
        and pairs.panel_year = buying.panel_year
        and pairs.region_code = buying.region_code
        and pairs.measure = buying.measure
        and pairs.buying_industry_code = buying.industry_code
    left join lambdas
        on pairs.economy_code = lambdas.economy_code
        and pairs.classification = lambdas.classification
        and pairs.panel_year = lambdas.panel_year
        and pairs.region_code = lambdas.region_code
        and pairs.measure = lambdas.measure
),

flegg as (
    select
        *,
        flq_lambda * case
            when supplying_industry_code = buying_industry_code then slq_supplying
            else cilq
        end as flq,
    from quotients
),

-- least() skips NULLs in DuckDB: an undefined FLQ must stay NULL, not become 1.
final as (
    select
        *,
        case when flq is not null then least(flq, 1.0) end as coefficient_factor,
    from flegg
)

select * from final
