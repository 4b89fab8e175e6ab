-- How specialised each region's structure is, per economy, classification,
-- year and measure, over the industries that partition the economy and have a
-- value (s_ri = e_ri / Σ_i e_ri, s_i = E_i / E, both from the same cells):
--   Hachman index         HI = 1 / Σ_i s_ri² / s_i  (1 = the economy's structure)
--   Krugman index         K  = Σ_i |s_ri - s_i^rest|, s_i^rest the share in the rest
--                              of the economy (Krugman 1991), in [0, 2]
--   Krugman vs economy    Σ_i |s_ri - s_i| (the variant that includes the region)
-- and the counts of specialised and star industries from fct_location_quotients.
{{ specialisation_indices(ref('fct_location_quotients')) }}
