-- Classic shift-share of the change of every region-industry cell over its
-- panel's span (int_regional_growth_computed): with g = E_t/E_0 - 1 (economy),
-- g_i = E_it/E_i0 - 1 (industry nationally) and g_ri = e_rit/e_ri0 - 1,
--   national growth effect  = e_ri0 · g
--   industry mix effect     = e_ri0 · (g_i - g)
--   regional shift effect   = e_ri0 · (g_ri - g_i)
-- which add up to e_rit - e_ri0. A cell that starts at zero has no growth rate;
-- its whole change is counted as regional shift. Gaps give NULL. Published as
-- fct_shift_share.
{{ shift_share(ref('int_regional_growth_computed')) }}
