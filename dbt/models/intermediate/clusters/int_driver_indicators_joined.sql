-- Competitiveness indicators of every partition industry of every region, for
-- the Hill-Brennan classification: each employment panel (economy,
-- classification) is classified in its latest year, with LQ and share of the
-- region's employment in that year and growth and classic shift-share rates
-- over the panel's span (int_shift_share_computed; NULL for a single-year panel), and
-- productivity relative to the nation where the panel also carries gross value
-- added in that year.
-- Kazakhstan's panel is classified twice (unit_basis): on the official units
-- of its latest year ('region'), and on the comparable units ('comparable_unit',
-- int_comparable_unit_*), whose growth from 2010 covers one territory. An
-- official unit whose territory changed within the span (Almaty, Karaganda and
-- East Kazakhstan lost Zhetisu, Ulytau and Abai in 2022) has no growth or
-- shift-share indicator on the 'region' basis (int_regional_growth_computed gives it no
-- row: its 2010 and latest figures describe different territories). Kazakhstan's productivity is BNS's labour
-- productivity (January-September 2024) over the republic's derived one
-- (int_value_added_location_quotients_computed), on comparable units summed over the
-- members' derived value added and employment.
with

lq as (
    select 'region' as unit_basis, economy_code, classification, year, region_code, industry_code,
        measure, value, region_total, industry_total, lq
    from {{ ref('int_location_quotients_computed') }}
    where in_partition
    union all
    select 'comparable_unit' as unit_basis, economy_code, classification, year, region_code,
        industry_code, measure, value, region_total, industry_total, lq
    from {{ ref('int_comparable_unit_location_quotients_summed') }}
    where in_partition
),

latest_years as (
    select unit_basis, economy_code, classification, max(year) as year
    from lq
    where measure = 'employment'
    group by all
),

employment as (
    select lq.*
    from lq
    inner join latest_years
        on lq.unit_basis = latest_years.unit_basis
        and lq.economy_code = latest_years.economy_code
        and lq.classification = latest_years.classification
        and lq.year = latest_years.year
    where lq.measure = 'employment'
),

shifts as (
    select 'region' as unit_basis, * from {{ ref('int_shift_share_computed') }}
    where measure = 'employment'
    union all
    select 'comparable_unit' as unit_basis, * from {{ ref('int_comparable_unit_shift_share_computed') }}
    where measure = 'employment'
),

gva as (
    select unit_basis, economy_code, classification, year, region_code, industry_code,
        value as gva, industry_total as gva_industry_total
    from lq
    where measure = 'gva'
),

kz_value_added as (
    select * from {{ ref('int_value_added_location_quotients_computed') }}
),

kz_national_productivity as (
    select year, industry_code, sum(gva_derived) / nullif(sum(employment_mean), 0) as productivity,
    from kz_value_added
    group by all
),

kz_comparable_productivity as (
    select
        kz_value_added.year,
        regions.comparable_unit_code as region_code,
        kz_value_added.industry_code,
        sum(kz_value_added.gva_derived) / nullif(sum(kz_value_added.employment_mean), 0)
            as productivity,
    from kz_value_added
    inner join {{ ref('int_regions_unioned') }} as regions
        on regions.economy_code = 'KZ' and regions.region_code = kz_value_added.region_code
    group by all
),

kz_productivity as (
    select 'region' as unit_basis, year, region_code, industry_code, productivity_ratio
    from kz_value_added
    union all
    select
        'comparable_unit' as unit_basis,
        units.year,
        units.region_code,
        units.industry_code,
        units.productivity / nullif(national.productivity, 0) as productivity_ratio,
    from kz_comparable_productivity as units
    inner join kz_national_productivity as national
        on units.year = national.year and units.industry_code = national.industry_code
),

final as (
    select
        employment.unit_basis,
        employment.economy_code,
        employment.classification,
        employment.year,
        shifts.base_year,
        employment.region_code,
        employment.industry_code,
        employment.value as employment,
        employment.region_total,
        employment.lq,
        employment.value / nullif(employment.region_total, 0) as employment_share,
        shifts.regional_growth_rate as growth_rate,
        shifts.national_growth_effect as national_share_shift,
        shifts.industry_mix_effect as industry_mix_shift,
        shifts.regional_shift_effect as competitive_shift,
        shifts.industry_growth_rate - shifts.national_growth_rate as industry_mix_rate,
        shifts.regional_growth_rate - shifts.industry_growth_rate as competitive_shift_rate,
        coalesce(
            gva.gva / nullif(employment.value, 0)
                / nullif(gva.gva_industry_total / nullif(employment.industry_total, 0), 0),
            kz_productivity.productivity_ratio
        ) as productivity_ratio,
    from employment
    left join shifts
        on employment.unit_basis = shifts.unit_basis
        and employment.economy_code = shifts.economy_code
        and employment.classification = shifts.classification
        and employment.year = shifts.end_year
        and employment.region_code = shifts.region_code
        and employment.industry_code = shifts.industry_code
    left join kz_productivity
        on employment.economy_code = 'KZ'
        and employment.unit_basis = kz_productivity.unit_basis
        and employment.year = kz_productivity.year
        and employment.region_code = kz_productivity.region_code
        and employment.industry_code = kz_productivity.industry_code
    left join gva
        on employment.unit_basis = gva.unit_basis
        and employment.economy_code = gva.economy_code
        and employment.classification = gva.classification
        and employment.year = gva.year
        and employment.region_code = gva.region_code
        and employment.industry_code = gva.industry_code
)

select * from final
