{{ kazakhstan_frame_industries_staging('kz_frame_oked_divisions') }}
