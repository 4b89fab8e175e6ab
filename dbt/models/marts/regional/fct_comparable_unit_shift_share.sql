-- Shift-share of Kazakhstan's comparable units, as computed by
-- int_comparable_unit_shift_share_computed (the SQL of the official units' shift-share).
select * from {{ ref('int_comparable_unit_shift_share_computed') }}
