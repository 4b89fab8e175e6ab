"""Checks of the BNS dynamic tables (written next)."""

CHECKS = ()
