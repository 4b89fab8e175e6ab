-- Classic shift-share of the change of every region-industry cell over its
-- panel's span, as computed by int_shift_share_computed (formulas there).
select * from {{ ref('int_shift_share_computed') }}
