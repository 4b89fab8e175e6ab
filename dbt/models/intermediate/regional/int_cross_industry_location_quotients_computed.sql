-- Cross-industry and Flegg location quotients of every region, ready to
-- regionalise a national input-output table: a^r_ij = a_ij · coefficient_factor.
--   CILQ_ij = SLQ_i / SLQ_j               (i supplying, j buying)
--   λ       = [log2(1 + E_r / E)]^δ       (δ = var flq_delta)
--   FLQ_ij  = λ · CILQ_ij for i <> j, λ · SLQ_i on the diagonal (Flegg & Webber
--             1997: the diagonal CILQ is always 1 and would ignore the region's
--             own specialisation)
-- Only industries that partition the economy (in_partition) and have an LQ
-- take part; a pair with a gap on either side has no row. Published as
-- fct_cross_industry_location_quotients.
with

lq as (
    select * from {{ ref('int_location_quotients_computed') }}
    where in_partition and lq is not null
),

pairs as (
    select
        supplying.economy_code,
        supplying.classification,
        supplying.year,
        supplying.region_code,
        supplying.measure,
        supplying.industry_code as supplying_industry_code,
        buying.industry_code as buying_industry_code,
        supplying.lq as slq_supplying,
        buying.lq as slq_buying,
        supplying.region_total / supplying.economy_total as region_share,
    from lq as supplying
    inner join lq as buying
        on supplying.economy_code = buying.economy_code
        and supplying.classification = buying.classification
        and supplying.year = buying.year
        and supplying.measure = buying.measure
        and supplying.region_code = buying.region_code
),

quotients as (
    select
        *,
        slq_supplying / nullif(slq_buying, 0) as cilq,
        power(log2(1 + region_share), {{ var('flq_delta', 0.3) }}) as flq_lambda,
    from pairs
),

flegg as (
    select
        economy_code,
        classification,
        year,
        region_code,
        measure,
        supplying_industry_code,
        buying_industry_code,
        slq_supplying,
        slq_buying,
        cilq,
        region_share,
        flq_lambda,
        flq_lambda * case
            when supplying_industry_code = buying_industry_code then slq_supplying
            else cilq
        end as flq,
    from quotients
),

-- least() skips NULLs in DuckDB, so an undefined FLQ (the buying industry is
-- absent from the region) is kept NULL explicitly instead of becoming 1.
final as (
    select
        *,
        case when flq is not null then least(flq, 1.0) end as coefficient_factor,
    from flegg
)

select * from final
