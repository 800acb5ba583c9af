"""The S2 Academic Graph (S2AG) bulk datasets as a local graph in Parquet, read through DuckDB."""
