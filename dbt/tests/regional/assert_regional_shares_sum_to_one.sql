-- Fails for every region, industry or economy total computed as a sum whose
-- parts' shares do not add up to 1: a region's industry shares (partition
-- industries only), an industry's regional shares, and the regions' shares of
-- the economy. A failure means a total was taken over the wrong set of cells
-- (an "of which" line counted twice, a join that lost or duplicated a cell).
-- Totals the release publishes itself are reconciled elsewhere
-- (fct_regional_total_reconciliation), not forced to 1 here.
with

lq as (
    select * from {{ ref('fct_location_quotients') }}
    where value is not null
),

region_shares as (
    select
        'region' as total_kind,
        economy_code, classification, year, measure,
        region_code as code,
        sum(value / region_total) as share_sum,
    from lq
    where in_partition and not region_total_published
    group by all
),

industry_shares as (
    select
        'industry' as total_kind,
        economy_code, classification, year, measure,
        industry_code as code,
        sum(value / industry_total) as share_sum,
    from lq
    where not industry_total_published
    group by all
),

economy_shares as (
    select
        'economy' as total_kind,
        economy_code, classification, year, measure,
        cast(null as varchar) as code,
        sum(region_total / economy_total) as share_sum,
    from (
        select distinct economy_code, classification, year, measure, region_code, region_total, economy_total,
        from lq
        where not economy_total_published
    )
    group by all
),

all_shares as (
    select * from region_shares
    union all
    select * from industry_shares
    union all
    select * from economy_shares
)

select * from all_shares
where abs(share_sum - 1) > 1e-9
