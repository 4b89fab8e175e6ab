-- The NACE Rev.2 sections in which each template's primary members lie
-- (data/raw/cluster_labels/io_industry_nace_sections.csv). Only primary
-- members define a regional cluster: a secondary member belongs primarily to
-- another template, and counting it twice would blur the clusters further.
with

members as (
    select cluster_id, economy_code, table_id, template_number, industry_code
    from {{ ref('int_cluster_templates_unioned') }}
    where role = 'primary'
),

crosswalk as (
    select table_id, industry_code, nace_section
    from {{ ref('stg_cluster_labels__io_industry_nace_sections') }}
),

mapped as (
    select
        members.cluster_id,
        members.economy_code as template_economy_code,
        members.table_id,
        members.template_number,
        crosswalk.nace_section,
        count(*) as member_industries,
        string_agg(members.industry_code, ',' order by members.industry_code) as member_codes,
    from members
    inner join crosswalk
        on members.table_id = crosswalk.table_id
        and members.industry_code = crosswalk.industry_code
    group by all
)

select * from mapped
