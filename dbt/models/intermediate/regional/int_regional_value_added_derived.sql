-- Gross value added of Kazakhstan's oblasts by ОКЭД section, derived: BNS
-- publishes no GVA by region x activity, only labour productivity (GVA per
-- employed person, thousand tenge) for January-September 2024, cumulative.
-- Productivity x the mean employment of Q1-Q3 2024 (the labour force survey's
-- quarterly figures, thousand persons) gives GVA of January-September in mln
-- tenge. It is labelled derived wherever it appears; the year's annual
-- employment is not used (its denominator is the whole year, and BNS prints
-- the annual figures of section E for 2024 a thousand times too small). BNS's
-- own notes travel with it: section A counts the employed of private household
-- plots, section L excludes owner-occupiers' imputed rent (2008 SNA).
with

productivity as (
    select * from {{ ref('stg_kazakhstan_bns__labour_productivity') }}
    where measure = 'labour_productivity' and period = '9M' and region_code <> 'TOTAL'
),

employment as (
    select * from {{ ref('stg_kazakhstan_bns__employment') }}
    where measure = 'employment' and period in ('Q1', 'Q2', 'Q3')
),

employment_mean as (
    select
        year,
        region_code,
        activity_code,
        avg(value) as employment_mean,
        count(value) as employment_quarters,
        any_value(_source_sha256) as employment_sha256,
    from employment
    group by all
),

-- The productivity release names the B-E aggregate 'industry'; the employment
-- release and the section frame call it B-E.
aligned as (
    select
        *,
        case when activity_code = 'industry' then 'B-E' else activity_code end as industry_code,
    from productivity
),

final as (
    select
        aligned.economy_code,
        'OKED_SECTION' as classification,
        aligned.year,
        aligned.period,
        aligned.region_code,
        aligned.industry_code,
        aligned.value as labour_productivity,
        aligned.unit as productivity_unit,
        employment_mean.employment_mean,
        employment_mean.employment_quarters,
        -- thousand tenge per person x thousand persons = mln tenge
        case when employment_mean.employment_quarters = 3
            then aligned.value * employment_mean.employment_mean end as gva_derived,
        'mln tenge' as gva_unit,
        aligned.note,
        aligned._source_sha256 as productivity_sha256,
        employment_mean.employment_sha256,
    from aligned
    left join employment_mean
        on aligned.year = employment_mean.year
        and aligned.region_code = employment_mean.region_code
        and aligned.industry_code = employment_mean.activity_code
)

select * from final
