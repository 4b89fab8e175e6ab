-- Location quotients on value added beside location quotients on employment,
-- Kazakhstan's oblasts x ОКЭД sections, January-September 2024. Value added is
-- derived (int_regional_value_added_derived: labour productivity x mean
-- employment Q1-Q3), so both LQs here are on the same nine months and the same
-- employment: lq_gva = (v_ri / v_r) / (V_i / V), lq_employment likewise on the
-- mean employment; totals are sums over the sections (there is no published
-- GVA by region x activity to reconcile with). lq_employment_year is the
-- annual LQ of int_location_quotients_computed, for comparison. productivity_ratio =
-- the oblast's productivity over the republic's derived productivity in that
-- section (sum of derived GVA over sum of employment). industry_gva_published
-- is the republic's GVA of the section for the same nine months from BNS's GDP
-- release (current prices), against which the sum over the oblasts is
-- reconciled: section L differs by design (the productivity release excludes
-- owner-occupiers' imputed rent, the national accounts include it). Published
-- as fct_value_added_location_quotients.
with

derived as (
    select * from {{ ref('int_regional_value_added_derived') }}
),

industries as (
    select * from {{ ref('int_industries_unioned') }}
    where economy_code = 'KZ' and classification = 'OKED_SECTION'
),

national as (
    select
        year,
        period,
        -- the GDP release's 'industry' line is sections B-E together
        case when activity_code = 'industry' then 'B-E' else activity_code end as industry_code,
        value as industry_gva_published,
    from {{ ref('stg_kazakhstan_bns__observations') }}
    where release_id = 'bns_gdp_by_activity_current_prices'
        and measure = 'gva_current_prices' and period = '9M'
        and (classification = 'OKED_SECTION' or activity_code = 'industry')
),

annual as (
    select * from {{ ref('int_location_quotients_computed') }}
    where economy_code = 'KZ' and classification = 'OKED_SECTION' and measure = 'employment'
),

cells as (
    select derived.*, industries.in_partition
    from derived
    inner join industries on derived.industry_code = industries.industry_code
),

region_totals as (
    select year, region_code,
        sum(gva_derived) filter (where in_partition) as region_gva,
        sum(employment_mean) filter (where in_partition) as region_employment,
        count(*) filter (where in_partition and gva_derived is null) as region_gap_sections,
    from cells
    group by all
),

industry_totals as (
    select year, industry_code,
        sum(gva_derived) as industry_gva,
        sum(employment_mean) as industry_employment,
    from cells
    group by all
),

economy_totals as (
    select year, sum(region_gva) as economy_gva, sum(region_employment) as economy_employment,
    from region_totals
    group by all
),

-- The oblast's published all-activities productivity x its mean employment:
-- a second derivation of the region's GVA, against which the sum of the
-- sections is reconciled.
region_published as (
    select year, region_code, gva_derived as region_gva_from_total_productivity
    from derived
    where industry_code = 'TOTAL'
),

final as (
    select
        cells.economy_code,
        cells.classification,
        cells.year,
        cells.period,
        cells.region_code,
        cells.industry_code,
        cells.in_partition,
        cells.labour_productivity,
        cells.employment_mean,
        cells.gva_derived,
        cells.gva_unit,
        true as is_derived,
        region_totals.region_gva,
        industry_totals.industry_gva,
        national.industry_gva_published,
        industry_totals.industry_gva / nullif(national.industry_gva_published, 0) - 1
            as industry_gva_relative_difference,
        economy_totals.economy_gva,
        region_published.region_gva_from_total_productivity,
        cells.gva_derived / nullif(region_totals.region_gva, 0)
            / nullif(industry_totals.industry_gva / nullif(economy_totals.economy_gva, 0), 0)
            as lq_gva,
        cells.employment_mean / nullif(region_totals.region_employment, 0)
            / nullif(
                industry_totals.industry_employment / nullif(economy_totals.economy_employment, 0), 0
            )
            as lq_employment,
        annual.lq as lq_employment_year,
        cells.labour_productivity
            / nullif(
                industry_totals.industry_gva / nullif(industry_totals.industry_employment, 0), 0
            )
            as productivity_ratio,
        cells.note,
    from cells
    inner join region_totals
        on cells.year = region_totals.year and cells.region_code = region_totals.region_code
    inner join industry_totals
        on cells.year = industry_totals.year and cells.industry_code = industry_totals.industry_code
    inner join economy_totals on cells.year = economy_totals.year
    left join region_published
        on cells.year = region_published.year and cells.region_code = region_published.region_code
    left join national
        on cells.year = national.year
        and cells.period = national.period
        and cells.industry_code = national.industry_code
    left join annual
        on cells.year = annual.year
        and cells.region_code = annual.region_code
        and cells.industry_code = annual.industry_code
)

select * from final
