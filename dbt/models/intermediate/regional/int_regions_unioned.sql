-- Every region of every economy in one shape: КАТО units of Kazakhstan with
-- their validity and comparable unit, the German Länder and the EU-28 member
-- states (unchanged over their panels, so each is its own comparable unit).
with

kz as (
    select * from {{ ref('stg_kazakhstan_frame__kato_regions') }}
),

de as (
    select * from {{ ref('stg_regional_frames__de_laender') }}
),

eu28 as (
    select * from {{ ref('stg_regional_frames__eu28_countries') }}
),

unioned as (
    select
        economy_code,
        classification,
        region_code,
        region_level,
        name_en,
        name_ru,
        name_kk,
        cast(null as varchar) as name_local,
        'kato_prefix:' || kato_prefix as alternative_codes,
        comparable_unit_code,
        valid_from,
        valid_to,
        aliases,
        _source_file,
    from kz

    union all

    select
        economy_code,
        classification,
        region_code,
        region_level,
        name_en,
        cast(null as varchar) as name_ru,
        cast(null as varchar) as name_kk,
        name_local,
        'ags:' || ags_code || '|nuts1:' || nuts1_code as alternative_codes,
        region_code as comparable_unit_code,
        valid_from,
        valid_to,
        aliases,
        _source_file,
    from de

    union all

    select
        economy_code,
        classification,
        region_code,
        region_level,
        name_en,
        cast(null as varchar) as name_ru,
        cast(null as varchar) as name_kk,
        name_local,
        'iso_alpha2:' || iso_alpha2 as alternative_codes,
        region_code as comparable_unit_code,
        valid_from,
        valid_to,
        aliases,
        _source_file,
    from eu28
),

-- Statistical years a unit covers: a unit is in force for year Y when it
-- exists on 31 December of Y (the convention stated in the КАТО manifest).
dated as (
    select
        *,
        year(valid_from) as first_year,
        case
            when valid_to is null then null
            when valid_to = make_date(year(valid_to), 12, 31) then year(valid_to)
            else year(valid_to) - 1
        end as last_year,
    from unioned
)

select * from dated
