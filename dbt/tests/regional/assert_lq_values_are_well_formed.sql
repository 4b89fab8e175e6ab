-- An LQ exists exactly when the cell has a value and its totals are positive,
-- is never negative, and its class follows the thresholds (vars
-- lq_specialised_threshold, lq_star_threshold). A failure means a gap was
-- turned into a number, a number lost its LQ, or lq_class disagrees with lq.
with

lq as (
    select * from {{ ref('fct_location_quotients') }}
)

select *
from lq
where (lq is null) <> (value is null or region_total is null or industry_total is null
        or economy_total is null or region_total = 0 or industry_total = 0 or economy_total = 0)
    or lq < 0
    or (value is null) <> (lq_class is null)
    or lq_class = 'star' and lq < {{ var('lq_star_threshold', 2.0) }}
    or lq_class = 'specialised'
        and not (lq >= {{ var('lq_specialised_threshold', 1.25) }} and lq < {{ var('lq_star_threshold', 2.0) }})
    or lq_class = 'not_specialised' and lq >= {{ var('lq_specialised_threshold', 1.25) }}
