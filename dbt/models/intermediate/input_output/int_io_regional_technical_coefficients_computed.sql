-- National technical coefficients regionalised with the Flegg location quotient:
--   a^r_ij = a_ij * min(FLQ_ij, 1)
-- (dagster_project.methods.input_output.regionalise_coefficients states the same rule):
-- a region buys from its own industry i at most what the nation's technology needs, and
-- less the smaller and the less specialised in i it is; the rest comes from other regions.
-- The national table's year and the panel's year differ (Germany 1995 coefficients with
-- Länder employment of 2008-2015): the national technology is assumed to hold. A pair
-- without an FLQ (no regional data for one of its industries) keeps a NULL coefficient.
with

national as (
    select * from {{ ref('int_io_technical_coefficients_computed') }}
),

flq as (
    select * from {{ ref('int_io_regional_flq') }}
),

final as (
    select
        cast(national.economy_code as varchar) as economy_code,
        cast(national.table_id as varchar) as table_id,
        cast(national.year as integer) as table_year,
        cast(flq.classification as varchar) as classification,
        cast(flq.panel_year as integer) as panel_year,
        cast(flq.region_code as varchar) as region_code,
        cast(flq.measure as varchar) as flq_measure,
        cast(national.from_industry_code as varchar) as from_industry_code,
        cast(national.to_industry_code as varchar) as to_industry_code,
        cast(national.technical_coefficient as double) as national_coefficient,
        cast(flq.slq_supplying as double) as slq_supplying,
        cast(flq.slq_buying as double) as slq_buying,
        cast(flq.flq_lambda as double) as flq_lambda,
        cast(flq.flq as double) as flq,
        cast(flq.coefficient_factor as double) as coefficient_factor,
        cast(national.technical_coefficient * flq.coefficient_factor as double) as regional_coefficient,
    from national
    inner join flq
        on national.table_id = flq.table_id
        and national.from_industry_code = flq.supplying_industry_code
        and national.to_industry_code = flq.buying_industry_code
)

select * from final
