-- Feser-Bergman cluster templates: every industry's rotated loading on every
-- template of its table and its role there. Computed templates come from the
-- input-output tables; Kazakhstan's are seed 003's published loadings put
-- through the same membership step.
with

templates as (
    select * from {{ ref('int_cluster_templates_unioned') }}
),

io_labels as (
    select table_id, industry_code, industry_label from {{ ref('dim_io_industry') }}
),

seed_labels as (
    select distinct table_id, industry_code, label_printed as industry_label
    from {{ ref('stg_seeds__s003_t2_component_loadings') }}
),

labels as (
    select * from io_labels
    union all
    select * from seed_labels
),

final as (
    select
        cast(templates.cluster_id as varchar) as cluster_id,
        cast(templates.economy_code as varchar) as economy_code,
        cast(templates.table_id as varchar) as table_id,
        cast(templates.year as integer) as year,
        cast(templates.template_source as varchar) as template_source,
        cast(templates.template_number as integer) as template_number,
        cast(templates.industry_code as varchar) as industry_code,
        cast(labels.industry_label as varchar) as industry_label,
        cast(templates.loading as double) as loading,
        cast(abs(templates.loading) as double) as abs_loading,
        cast(templates.role as varchar) as role,
    from templates
    left join labels
        on templates.table_id = labels.table_id
        and templates.industry_code = labels.industry_code
)

select * from final
