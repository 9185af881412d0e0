"""The installed package holds every module and data folder: a package missing from
pyproject.toml's list installs without error and then fails on the first import."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_and_data_folder_is_listed_in_pyproject():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(conf["packages"])
    dirs = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "checker").rglob("__init__.py") if "__pycache__" not in p.parts}
    for top, name in (("rules", "checker.rules"), ("models", "checker.models")):
        dirs |= {name + "".join(f".{part}" for part in d.relative_to(ROOT / top).parts)
                 for d in [ROOT / top, *(ROOT / top).rglob("*")] if d.is_dir() and "__pycache__" not in d.parts}
    missing = sorted(dirs - listed)
    assert not missing, f"pyproject.toml 的 packages 中缺少：{missing}"
