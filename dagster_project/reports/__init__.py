"""What analysts see: the cluster report (self-contained HTML and PNGs), the
"ask the warehouse" questions, and the headless-browser helpers that take the
screenshots of the report and of the Dagster UI."""
