-- Every region and industry of the facts is a row of dim_region / dim_industry
-- of the same economy (and classification): the economies never share codes,
-- and a code the dimensions do not know would have no labels. A failure means
-- the loader resolved a name to a code the frames do not define.
with

lq as (
    select distinct economy_code, classification, region_code, industry_code
    from {{ ref('fct_location_quotients') }}
),

regions as (
    select economy_code, region_code from {{ ref('dim_region') }}
),

industries as (
    select economy_code, classification, industry_code from {{ ref('dim_industry') }}
)

select lq.*, 'region' as unknown
from lq
where not exists (
    select 1 from regions
    where regions.economy_code = lq.economy_code and regions.region_code = lq.region_code
)
union all
select lq.*, 'industry' as unknown
from lq
where not exists (
    select 1 from industries
    where industries.economy_code = lq.economy_code
        and industries.classification = lq.classification
        and industries.industry_code = lq.industry_code
)
