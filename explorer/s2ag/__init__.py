"""The S2 Academic Graph bulk datasets: shards, their import into Parquet, the local graph."""
