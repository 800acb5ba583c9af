"""The ``explorer`` command: arguments in, a task call, a message and an exit code out."""
