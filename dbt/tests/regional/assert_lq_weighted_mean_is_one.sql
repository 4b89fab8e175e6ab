-- For every industry, the mean of its LQs over the regions weighted by the
-- regions' shares of the economy (e_r / E, employment weights for employment)
-- must equal 1 where the totals are sums of the cells: Σ_r (e_r/E)·LQ_ri =
-- Σ_r e_ri / E_i = 1. Where the release publishes its totals, the same sum is
-- the share of the published industry total that the regional cells cover.
-- A failure means the LQs and the totals beside them do not belong together.
with

lq as (
    select * from {{ ref('fct_location_quotients') }}
    where lq is not null
),

per_industry as (
    select
        economy_code,
        classification,
        year,
        measure,
        industry_code,
        sum(region_total / economy_total * lq) as weighted_mean_lq,
        sum(value) / any_value(industry_total) as covered_share,
        bool_or(region_total_published or industry_total_published or economy_total_published)
            as totals_published,
    from lq
    group by all
)

select *
from per_industry
where abs(weighted_mean_lq - 1) > 1e-9 and not totals_published
    or abs(weighted_mean_lq - covered_share) > 1e-9 and totals_published
