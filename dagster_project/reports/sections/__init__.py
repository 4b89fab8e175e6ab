"""The sections of the cluster report, each rendered from the marts that exist."""
