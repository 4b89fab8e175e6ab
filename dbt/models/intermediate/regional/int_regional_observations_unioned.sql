-- Every regional observation in one shape: the demonstration releases (DE,
-- EU28, raw.regional_observations) and Kazakhstan's employment by oblast and
-- ОКЭД section from BNS. The LQ machinery is annual, so only BNS's 'year'
-- column enters (its quarters stay in the raw facts); back-cast rows (Turkestan
-- and Shymkent before 2018) are used as published and flagged. The release's
-- other measures (its republic sheets) are not the panel. BNS's "Industry"
-- line (B-E, classification OKED_AGGREGATE in the raw facts) is a line of the
-- same section panel: it enters as OKED_SECTION, an aggregate never counted
-- towards a total (int_industries_unioned).
with

demonstration as (
    select * from {{ ref('stg_regional__observations') }}
),

kz_employment as (
    select * from {{ ref('stg_kazakhstan_bns__employment') }}
    where period = 'year' and measure = 'employment'
),

unioned as (
    select
        economy_code,
        classification,
        year,
        region_code,
        industry_code,
        measure,
        value,
        gap_marker,
        unit,
        is_region_total,
        is_industry_total,
        false as back_cast,
        _source_file,
        _source_sha256,
        _source_row,
    from demonstration

    union all

    select
        economy_code,
        case
            when classification = 'OKED_AGGREGATE' then 'OKED_SECTION' else classification
        end as classification,
        year,
        region_code,
        activity_code as industry_code,
        measure,
        value,
        gap_marker,
        unit,
        is_region_total,
        is_activity_total as is_industry_total,
        back_cast,
        _source_file,
        _source_sha256,
        _source_row,
    from kz_employment
)

select * from unioned
