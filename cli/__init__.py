"""The `trustline` command line: one module per command group, shared options in `cli.common`."""
