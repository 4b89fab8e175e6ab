-- Industry codes of every economy and classification with kk/ru/en labels and
-- how far each label is official (label_*_status). in_partition marks the
-- codes that are mutually exclusive within their classification.
with

industries as (
    select * from {{ ref('int_industries_unioned') }}
),

final as (
    select
        economy_code,
        classification,
        industry_code,
        industry_level,
        parent_code,
        in_partition,
        position,
        label_en,
        label_ru,
        label_kk,
        label_local,
        label_en_status,
        label_ru_status,
        label_kk_status,
    from industries
)

select * from final
