"""Validation of the published seed tables: checks, Great Expectations
verdicts, suggested corrections and the ``quality.check_results`` table."""
