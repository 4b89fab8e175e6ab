-- λ = [log2(1 + E_r/E)]^δ lies in (0, 1] for a region no larger than the
-- economy; FLQ = λ·CILQ off the diagonal and λ·SLQ on it; the coefficient
-- factor is min(FLQ, 1). A failure means the regionalisation factors handed
-- to the input-output models are wrong.
select *
from {{ ref('fct_cross_industry_location_quotients') }}
where flq_lambda <= 0
    or flq_lambda > 1 + 1e-12
    or abs(flq_lambda - power(log2(1 + region_share), {{ var('flq_delta', 0.3) }})) > 1e-12
    or supplying_industry_code <> buying_industry_code and abs(flq - flq_lambda * cilq) > 1e-12 * greatest(1, flq)
    or supplying_industry_code = buying_industry_code and abs(flq - flq_lambda * slq_supplying) > 1e-12 * greatest(1, flq)
    or supplying_industry_code = buying_industry_code and abs(cilq - 1) > 1e-12
    or coefficient_factor > 1
    or (flq is null) <> (coefficient_factor is null)
    or abs(coefficient_factor - least(flq, 1)) > 1e-12
