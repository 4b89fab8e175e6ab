-- Every industry code of every economy and classification in one shape. Each
-- economy keeps its own rows (DE and EU28 both use NACE A10 but never share a
-- row), and in_partition marks the codes that are mutually exclusive within a
-- classification ('of which' lines such as manufacturing inside B-E are not).
with

kz_sections as (
    select * from {{ ref('stg_kazakhstan_frame__oked_sections') }}
),

kz_divisions as (
    select * from {{ ref('stg_kazakhstan_frame__oked_divisions') }}
),

kz_io as (
    select * from {{ ref('stg_kazakhstan_frame__s003_io_industries') }}
),

de_sections as (
    select * from {{ ref('stg_regional_frames__de_wz2008_sections') }}
),

de_a10 as (
    select * from {{ ref('stg_regional_frames__de_nace_a10') }}
),

eu28_a10 as (
    select * from {{ ref('stg_regional_frames__eu28_nace_a10') }}
),

-- BNS prints "Industry" (sections B-E together) beside the four sections in
-- its employment releases: an aggregate, never counted towards a total.
kz_aggregates as (
    select * from (values (
        'KZ', 'OKED_SECTION', 'B-E', 'section_aggregate', cast(null as varchar), false,
        cast(null as integer), 'Industry (sections B-E)', 'Промышленность (секции B-E)',
        'Өнеркәсіп (B-E секциялары)', cast(null as varchar), 'official', 'our_translation',
        'our_translation', 'employed_population_by_activity_and_region_2010_2024.xlsx'
    -- sqlfluff's DuckDB dialect misreads a column alias list as an unused alias
    )) as t(  -- noqa: AL05, LT01
        economy_code, classification, industry_code, industry_level, parent_code, in_partition,
        position, label_en, label_ru, label_kk, label_local,
        label_en_status, label_ru_status, label_kk_status, _source_file
    )
),

kz as (
    select
        economy_code, classification, industry_code, industry_level, parent_code, in_partition,
        position, label_en, label_ru, label_kk, cast(null as varchar) as label_local,
        label_en_status, label_ru_status, label_kk_status, _source_file,
    from kz_sections
    union all
    select
        economy_code, classification, industry_code, industry_level, parent_code, in_partition,
        position, label_en, label_ru, label_kk, cast(null as varchar) as label_local,
        label_en_status, label_ru_status, label_kk_status, _source_file,
    from kz_divisions
    union all
    select
        economy_code, classification, industry_code, industry_level, parent_code, in_partition,
        position, label_en, label_ru, label_kk, cast(null as varchar) as label_local,
        label_en_status, label_ru_status, label_kk_status, _source_file,
    from kz_io
    union all
    select * from kz_aggregates
),

others as (
    select
        economy_code, classification, industry_code, industry_level, parent_code, in_partition,
        cast(null as integer) as position, label_en, cast(null as varchar) as label_ru,
        cast(null as varchar) as label_kk, label_local,
        'official' as label_en_status, cast(null as varchar) as label_ru_status,
        cast(null as varchar) as label_kk_status, _source_file,
    from de_sections
    union all
    select
        economy_code, classification, industry_code, industry_level, parent_code, in_partition,
        cast(null as integer) as position, label_en, cast(null as varchar) as label_ru,
        cast(null as varchar) as label_kk, label_local,
        'official' as label_en_status, cast(null as varchar) as label_ru_status,
        cast(null as varchar) as label_kk_status, _source_file,
    from de_a10
    union all
    select
        economy_code, classification, industry_code, industry_level, parent_code, in_partition,
        cast(null as integer) as position, label_en, cast(null as varchar) as label_ru,
        cast(null as varchar) as label_kk, label_local,
        'official' as label_en_status, cast(null as varchar) as label_ru_status,
        cast(null as varchar) as label_kk_status, _source_file,
    from eu28_a10
)

select * from kz
union all
select * from others
