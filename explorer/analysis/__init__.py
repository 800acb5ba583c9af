"""Pure analysis of a citation graph: ranking, reasons, similarity, clusters, lineage."""
