-- Every code of the full ОКЭД (sections to subclasses) with its Russian title
-- as published in the list, and Kazakh and English labels where the frame has
-- them (sections and divisions, each with the frame's status). Below division
-- level no Kazakh or English title was available: the label is NULL and its
-- status 'missing', never a made-up translation.
with

oked as (
    select * from {{ ref('stg_kazakhstan_oked__oked_full') }}
),

frame_labels as (
    select industry_code, industry_level, label_kk, label_en, label_ru, label_kk_status, label_en_status
    from {{ ref('stg_kazakhstan_frame__oked_sections') }}
    union all
    select industry_code, industry_level, label_kk, label_en, label_ru, label_kk_status, label_en_status
    from {{ ref('stg_kazakhstan_frame__oked_divisions') }}
),

final as (
    select
        -- ids
        'KZ' as economy_code,
        'OKED_2019' as classification,
        oked.industry_code,
        oked.industry_level,
        oked.parent_code,
        oked.parent_code is null
            or oked.parent_code in (select parents.industry_code from oked as parents) as parent_in_list,
        oked.section_code,
        case when oked.industry_level <> 'section' then left(oked.industry_code, 2) end as division_code,
        -- labels and how far each is official
        oked.title_ru as label_ru,
        'as_published_in_oked_list' as label_ru_status,
        frame_labels.label_kk,
        coalesce(frame_labels.label_kk_status, 'missing') as label_kk_status,
        frame_labels.label_en,
        coalesce(frame_labels.label_en_status, 'missing') as label_en_status,
        frame_labels.label_ru as frame_label_ru,
        oked.description_ru,
        -- provenance
        oked.position,
        oked._source_file,
    from oked
    left join frame_labels
        on frame_labels.industry_code = oked.industry_code
        and frame_labels.industry_level = oked.industry_level
)

select * from final
