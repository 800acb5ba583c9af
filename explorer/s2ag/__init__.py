"""The S2 Academic Graph (S2AG) bulk datasets: release shards, their import into a local graph
on Parquet read through DuckDB, and the analysis over it (issue 19)."""
