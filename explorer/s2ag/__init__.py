"""The S2 Academic Graph's bulk datasets: shards, a local graph in Parquet, analyses over it."""
