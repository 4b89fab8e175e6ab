-- How specialised each region's structure is, per economy, classification,
-- year and measure, over the industries that partition the economy and have a
-- value (s_ri = e_ri / Σ_i e_ri, s_i = E_i / E, both from the same cells):
--   Hachman index         HI = 1 / Σ_i s_ri² / s_i  (1 = the economy's structure)
--   Krugman index         K  = Σ_i |s_ri - s_i^rest|, s_i^rest the share in the rest
--                              of the economy (Krugman 1991), in [0, 2]
--   Krugman vs economy    Σ_i |s_ri - s_i| (the variant that includes the region)
-- and the counts of specialised and star industries from fct_location_quotients.
with

lq as (
    select * from {{ ref('fct_location_quotients') }}
    where in_partition
),

known as (
    select * from lq where value is not null
),

region_sums as (
    select economy_code, classification, year, measure, region_code, sum(value) as region_value,
    from known
    group by all
),

industry_sums as (
    select economy_code, classification, year, measure, industry_code, sum(value) as industry_value,
    from known
    group by all
),

economy_sums as (
    select economy_code, classification, year, measure, sum(value) as economy_value,
    from known
    group by all
),

shares as (
    select
        known.economy_code,
        known.classification,
        known.year,
        known.measure,
        known.region_code,
        known.value / nullif(region_sums.region_value, 0) as region_share,
        industry_sums.industry_value / nullif(economy_sums.economy_value, 0) as economy_share,
        (industry_sums.industry_value - known.value)
            / nullif(economy_sums.economy_value - region_sums.region_value, 0) as rest_share,
        region_sums.region_value / nullif(economy_sums.economy_value, 0) as region_weight,
    from known
    inner join region_sums
        on known.economy_code = region_sums.economy_code
        and known.classification = region_sums.classification
        and known.year = region_sums.year
        and known.measure = region_sums.measure
        and known.region_code = region_sums.region_code
    inner join industry_sums
        on known.economy_code = industry_sums.economy_code
        and known.classification = industry_sums.classification
        and known.year = industry_sums.year
        and known.measure = industry_sums.measure
        and known.industry_code = industry_sums.industry_code
    inner join economy_sums
        on known.economy_code = economy_sums.economy_code
        and known.classification = economy_sums.classification
        and known.year = economy_sums.year
        and known.measure = economy_sums.measure
),

indices as (
    select
        economy_code,
        classification,
        year,
        measure,
        region_code,
        any_value(region_weight) as region_share_of_economy,
        1.0 / sum(region_share * region_share / economy_share) filter (where economy_share > 0)
            as hachman_index,
        sum(abs(region_share - rest_share)) as krugman_index,
        sum(abs(region_share - economy_share)) as krugman_index_vs_economy,
    from shares
    group by all
),

counts as (
    select
        economy_code,
        classification,
        year,
        measure,
        region_code,
        count(*) as industries,
        count(*) filter (where value is null) as gap_industries,
        count(*) filter (where lq_class in ('specialised', 'star')) as specialised_industries,
        count(*) filter (where lq_class = 'star') as star_industries,
    from lq
    group by all
),

final as (
    select
        counts.economy_code,
        counts.classification,
        counts.year,
        counts.measure,
        counts.region_code,
        counts.industries,
        counts.gap_industries,
        counts.specialised_industries,
        counts.star_industries,
        indices.region_share_of_economy,
        indices.hachman_index,
        indices.krugman_index,
        indices.krugman_index_vs_economy,
    from counts
    left join indices
        on counts.economy_code = indices.economy_code
        and counts.classification = indices.classification
        and counts.year = indices.year
        and counts.measure = indices.measure
        and counts.region_code = indices.region_code
)

select * from final
