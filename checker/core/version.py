"""The version of jxcheck: the one place it is written (pyproject.toml reads it from here)."""

__version__ = "0.1.0"
# The contract JSON's "version" (docs/contract.md): bumped only when a field is renamed or dropped.
SCHEMA_VERSION = 1
