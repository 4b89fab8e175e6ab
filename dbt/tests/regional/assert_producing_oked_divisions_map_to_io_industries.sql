-- Every ОКЭД division of the producing sections A-F (except sewerage 37 and
-- remediation 39, services in NACE Rev. 1) maps to at least one of the 20 I-O
-- industries of seed 003, every I-O industry receives at least one division,
-- and a division split between industries is marked partial on every row. A
-- failure means regional figures by ОКЭД could not be carried to the I-O table.
with

divisions as (
    select * from {{ ref('dim_industry') }}
    where economy_code = 'KZ' and classification = 'OKED_DIVISION'
),

io_industries as (
    select * from {{ ref('dim_industry') }}
    where economy_code = 'KZ' and classification = 'S003_IO20'
),

crosswalk as (
    select * from {{ ref('dim_industry_crosswalk') }}
    where to_classification = 'S003_IO20'
),

split as (
    select from_industry_code, count(*) as targets, bool_and(relation = 'partial') as all_partial,
    from crosswalk
    group by from_industry_code
)

select 'division_without_io_industry' as problem, industry_code as code
from divisions
where parent_code in ('A', 'B', 'C', 'D', 'E', 'F')
    and industry_code not in ('37', '39')
    and industry_code not in (select from_industry_code from crosswalk)
union all
select 'io_industry_without_division', industry_code
from io_industries
where industry_code not in (select to_industry_code from crosswalk)
union all
select 'split_division_not_marked_partial', from_industry_code
from split
where targets > 1 and not all_partial
