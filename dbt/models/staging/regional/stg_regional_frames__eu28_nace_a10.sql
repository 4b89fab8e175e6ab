{{ regional_frame_industries_staging('regional_frame_eu28_nace_a10') }}
