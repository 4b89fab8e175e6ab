-- Cross-industry and Flegg location quotients of every region, as computed by
-- int_cross_industry_location_quotients_computed (formulas there).
select * from {{ ref('int_cross_industry_location_quotients_computed') }}
