-- A failure means an industry of the Leontief model has no Type I output multiplier or no
-- linkage: a table lost industries between the coefficients and the multiplier marts.
with

expected as (
    select table_id, industry_code
    from {{ ref('dim_io_industry') }}
    where in_model
),

multipliers as (
    select table_id, industry_code
    from {{ ref('fct_multipliers') }}
    where measure = 'output' and model_type = 'type_1' and multiplier is not null
),

linkages as (
    select table_id, industry_code from {{ ref('fct_linkages') }}
)

select expected.table_id, expected.industry_code
from expected
left join multipliers
    on expected.table_id = multipliers.table_id
    and expected.industry_code = multipliers.industry_code
left join linkages
    on expected.table_id = linkages.table_id
    and expected.industry_code = linkages.industry_code
where multipliers.industry_code is null or linkages.industry_code is null
