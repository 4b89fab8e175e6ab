{{ regional_frame_industries_staging('regional_frame_de_wz2008_sections') }}
