"""The `ogi` command line: thin, it parses, calls the workflow and presents the result."""
