"""What the user typed -> ids: seed parsing, bibliographies, the resolver."""
