"""One module per user task, shared by the CLI and the app."""
