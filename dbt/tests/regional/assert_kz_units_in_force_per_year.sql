-- Kazakhstan had 14 oblasts and 2 cities of republican significance before
-- 2018, 14 + 3 (Shymkent) from 2018 and 17 + 3 (Abai, Zhetisu, Ulytau) from
-- 2022, a unit counting for year Y when it exists on 31 December of Y. A
-- failure means the dated КАТО frame misstates which units a release of that
-- year must contain.
with

regions as (
    select * from {{ ref('dim_region') }} where economy_code = 'KZ'
),

expected as (
    select * from (values
        (2017, 14, 2), (2018, 14, 3), (2021, 14, 3), (2022, 17, 3), (2024, 17, 3)
    ) as t(year, oblasts, cities)
),

observed as (
    select
        expected.year,
        count(*) filter (where regions.region_level = 'oblast') as oblasts,
        count(*) filter (where regions.region_level = 'city') as cities,
    from expected
    inner join regions
        on (regions.first_year is null or regions.first_year <= expected.year)
        and (regions.last_year is null or regions.last_year >= expected.year)
    group by expected.year
)

select expected.*, observed.oblasts as observed_oblasts, observed.cities as observed_cities
from expected
left join observed on expected.year = observed.year
where observed.oblasts is distinct from expected.oblasts
    or observed.cities is distinct from expected.cities
