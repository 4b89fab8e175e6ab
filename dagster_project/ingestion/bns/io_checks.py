"""Identities of the BNS input-output and supply-use tables (filled in below)."""

CHECKS = ()
