-- One row per cluster template (computed from an input-output table, or
-- Kazakhstan's published ones): its names in kk/ru/en, how many members it
-- has and how much variance it carries.
with

templates as (
    select * from {{ ref('int_cluster_templates_unioned') }}
),

names as (
    select * from {{ ref('int_cluster_template_names_derived') }}
),

variance as (
    select cluster_id, rotated_variance_share from {{ ref('fct_template_variance') }}
),

members as (
    select
        cluster_id,
        any_value(economy_code) as economy_code,
        any_value(table_id) as table_id,
        any_value(year) as year,
        any_value(template_source) as template_source,
        any_value(template_number) as template_number,
        count(*) filter (where role = 'primary') as primary_members,
        count(*) filter (where role = 'secondary') as secondary_members,
    from templates
    group by cluster_id
),

final as (
    select
        cast(members.cluster_id as varchar) as cluster_id,
        cast(members.economy_code as varchar) as economy_code,
        cast(members.table_id as varchar) as table_id,
        cast(members.year as integer) as year,
        cast(members.template_source as varchar) as template_source,
        cast(members.template_number as integer) as template_number,
        cast(names.name_kk as varchar) as name_kk,
        cast(names.name_ru as varchar) as name_ru,
        cast(names.name_en as varchar) as name_en,
        cast(names.theme_codes as varchar) as theme_codes,
        cast(names.top_industry_code as varchar) as top_industry_code,
        cast(members.primary_members as integer) as primary_members,
        cast(members.secondary_members as integer) as secondary_members,
        cast(variance.rotated_variance_share as double) as rotated_variance_share,
    from members
    inner join names
        on members.table_id = names.table_id
        and members.template_number = names.template_number
    left join variance
        on members.cluster_id = variance.cluster_id
)

select * from final
