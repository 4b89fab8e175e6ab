-- Compound annual growth of every region-industry cell over the span of its
-- panel (first to last year of an economy, classification and measure), beside
-- the growth of the industry nationally, of the region and of the economy.
-- Single-year panels have no row. CAGR = (end / base)^(1 / years) - 1, NULL when
-- either level is missing (a gap) or not positive.
{{ regional_growth(ref('fct_location_quotients')) }}
