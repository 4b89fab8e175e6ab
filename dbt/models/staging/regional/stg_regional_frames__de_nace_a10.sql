{{ regional_frame_industries_staging('regional_frame_de_nace_a10') }}
