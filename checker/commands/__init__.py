"""One module per `jxcheck` sub-command; see checker/cli.py."""
