-- A failure means a Type I compensation multiplier of the Netherlands 2000 table differs
-- from the published one (Spicosa multiplier sheet) by more than half a unit of its last
-- printed decimal, or an industry is missing on either side.
with

published as (
    select source_label as industry_code, published_value, value_text
    from {{ ref('stg_io_reference__nl_2000_compensation_multipliers') }}
),

computed as (
    select industry_code, multiplier
    from {{ ref('fct_multipliers') }}
    where table_id = 'nl_2000' and measure = 'compensation' and model_type = 'type_1'
),

compared as (
    select
        coalesce(published.industry_code, computed.industry_code) as industry_code,
        published.published_value,
        computed.multiplier,
        0.5 * pow(10, -length(split_part(published.value_text, '.', 2))) as half_unit,
    from published
    full outer join computed on published.industry_code = computed.industry_code
)

select *
from compared
where published_value is null
    or multiplier is null
    or abs(multiplier - published_value) > half_unit
