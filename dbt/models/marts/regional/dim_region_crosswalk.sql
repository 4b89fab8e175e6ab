-- Old -> new regional units of every economy, as put together by
-- int_region_crosswalk_unioned.
select * from {{ ref('int_region_crosswalk_unioned') }}
