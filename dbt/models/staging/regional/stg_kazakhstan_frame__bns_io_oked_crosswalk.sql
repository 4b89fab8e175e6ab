-- bns_io_oked_crosswalk.csv: every product of BNS's 2023 input-output table and every
-- industry of its supply-use table with its ОКЭД divisions, section, cluster theme and
-- seed 003 industry; typed only.
with

source as (
    select * from {{ source('kazakhstan_frame', 'kz_frame_bns_io_oked_crosswalk') }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        code,
        -- mapping
        string_split(oked_divisions, ' ') as oked_divisions,
        oked_section,
        theme_code,
        nullif(s003_industry_code, '') as s003_industry_code,
        relation,
        nullif(note, '') as note,
        -- labels
        label_en,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
