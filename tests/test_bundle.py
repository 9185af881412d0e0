"""The offline installer (`make bundle`): built here from PyPI, then installed with the
network off (`pip install --no-index --find-links`) into a fresh virtual environment that
must check a sample. The Windows wheel set is resolved for win_amd64 with binaries only.

Needs PyPI to build (CI has it); skipped with a reason when PyPI cannot be reached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYVER = f"{sys.version_info.major}.{sys.version_info.minor}"

pytestmark = pytest.mark.slow


def _pypi_reachable() -> bool:
    try:
        with urllib.request.urlopen("https://pypi.org/simple/jieba/", timeout=10) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    if not _pypi_reachable():
        pytest.skip("无法连接 PyPI，不能生成离线安装包（CI 中可以）")
    out = tmp_path_factory.mktemp("bundle") / "jxcheck-offline"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bundle.py"), "--out", str(out), "--python", PYVER,
                           "--platform", "linux", "--no-zip"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return out


def test_bundle_has_wheels_scripts_and_the_app(bundle):
    wheels = {p.name for p in (bundle / "wheels" / "linux").glob("*.whl")}
    assert any(n.startswith("jxcheck-") for n in wheels) and any(n.startswith("jieba-") for n in wheels)
    assert any(n.startswith("streamlit-") for n in wheels) and any(n.startswith("scikit_learn-") for n in wheels)
    for name in ("安装.bat", "启动网页版.bat", "命令行.bat", "install.sh", "start.sh", "使用说明.txt", "app.py", ".streamlit/config.toml"):
        assert (bundle / name).is_file(), name
    bat = (bundle / "安装.bat").read_bytes()
    assert b"\r\n" in bat and b"--no-index --find-links wheels\\windows jxcheck" in bat
    assert subprocess.run(["sh", "-n", str(bundle / "install.sh")]).returncode == 0
    assert list((bundle / "samples").iterdir())


def test_linux_bundle_installs_with_no_network_and_checks_a_sample(bundle, tmp_path, samples_dir):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no index or find-links from this machine's pip.conf
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index", "--find-links",
                           str(bundle / "wheels" / "linux"), "jxcheck"], capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    sample = next(p for p in sorted(samples_dir.iterdir()) if p.suffix == ".docx")
    proc = subprocess.run([str(venv / "bin" / "jxcheck"), "check", "--format", "json", str(sample)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert doc["status"] == "ok" and doc["score"] is not None
    proc = subprocess.run([str(venv / "bin" / "python"), "-c", "import streamlit, checker.webui.render"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_windows_wheel_set_resolves(bundle, tmp_path):
    """Every dependency has a win_amd64 (or pure-Python) wheel for the target Python."""
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q", "--only-binary=:all:",
                           "--platform", "win_amd64", "--python-version", PYVER, "--implementation", "cp", "--abi", f"cp{PYVER.replace('.', '')}",
                           "--target", str(tmp_path / "win"), "--find-links", str(bundle / "wheels" / "linux"), "jxcheck"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
