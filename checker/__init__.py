"""jxcheck: quality checker for budget-performance self-evaluation documents.

Public API:
    check_file(path_or_bytes, name=None, config=None) -> Result
    check_bytes(data, name, config=None) -> Result
    load_config(path=None) -> Config
"""

from __future__ import annotations

from checker.core.version import __version__


def _source_checkout_data() -> None:
    """Imported from a source checkout (`streamlit run app.py` or `python -m checker` in the
    repository, whatever is installed), rules/ and models/ sit beside checker/ rather than
    inside it; the installed package maps them to checker.rules / checker.models, so map
    them the same way here. A no-op for an installed package."""
    import importlib.util
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    for sub in ("rules", "models"):
        full = f"{__name__}.{sub}"
        folder = os.path.join(root, sub)
        init = os.path.join(folder, "__init__.py")
        if full in sys.modules or os.path.isdir(os.path.join(here, sub)) or not os.path.isfile(init):
            continue
        spec = importlib.util.spec_from_file_location(full, init, submodule_search_locations=[folder])
        if spec is None or spec.loader is None:
            continue
        mod = importlib.util.module_from_spec(spec)
        sys.modules[full] = mod
        spec.loader.exec_module(mod)
        setattr(sys.modules[__name__], sub, mod)


_source_checkout_data()

from checker.api import Result, check_bytes, check_file  # noqa: E402
from checker.core.config import Config, load_config  # noqa: E402

__all__ = ["Config", "Result", "check_bytes", "check_file", "load_config", "__version__"]
