"""jxcheck: quality checker for budget-performance self-evaluation documents.

Public API:
    check_file(path_or_bytes, name=None, config=None) -> Result
    check_bytes(data, name, config=None) -> Result
    load_config(path=None) -> Config
"""

from __future__ import annotations

__version__ = "0.1.0"

from checker.api import Result, check_bytes, check_file  # noqa: E402
from checker.config import Config, load_config  # noqa: E402

__all__ = ["Config", "Result", "check_bytes", "check_file", "load_config", "__version__"]
