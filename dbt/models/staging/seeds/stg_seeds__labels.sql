with

source as (
    select * from {{ source('seeds', 'seed_labels') }}
),

renamed as (
    select
        -- ids
        table_id,
        dimension,
        code,
        -- labels
        label_kk,
        label_ru,
        label_en,
        price_basis,
        note,
    from source
)

select * from renamed
