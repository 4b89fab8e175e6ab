"""Manifest-driven ingestion of raw statistical files into the ``raw`` schema."""
