"""`make bundle`: one folder (and a .zip of it) to install jxcheck on PCs with no internet.

    dist/jxcheck-offline/
      wheels/windows/   every wheel for Windows x64 (win_amd64) and the target Python
      wheels/linux/     the same for Linux x64 (manylinux)
      安装.bat  启动网页版.bat  命令行.bat      Windows: install into .venv, start the app, open a prompt
      install.sh  start.sh                    Linux
      app.py  .streamlit/config.toml  samples/  the web app and its example files
      使用说明.txt

Needs PyPI while building (pip download); the PCs need none. The Windows set is fetched
with `--platform win_amd64 --only-binary=:all:`, so the build fails here, not on the PC,
when a dependency has no Windows wheel. jieba publishes only a source archive: it is built
once into a pure-Python wheel, which serves both platforms.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = {
    "windows": ["win_amd64"],
    "linux": ["manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64", "manylinux1_x86_64"],
}

INSTALL_BAT = r"""@echo off
chcp 65001 >nul
cd /d "%~dp0"
echo 正在安装 jxcheck（不需要联网）……
where py >nul 2>nul && (py -{pyver} -m venv .venv) || (python -m venv .venv)
if errorlevel 1 goto nopython
if not exist .venv\Scripts\python.exe goto nopython
.venv\Scripts\python.exe -m pip install --no-index --find-links wheels\windows jxcheck
if errorlevel 1 goto failed
echo.
echo 安装完成。双击“启动网页版.bat”打开网页版；命令行用法见“使用说明.txt”。
pause
exit /b 0
:nopython
echo 没有找到 Python {pyver}（64 位）。请先安装 Python {pyver}，安装时勾选“Add python.exe to PATH”，再运行本文件。
pause
exit /b 1
:failed
echo 安装失败，请把上面的提示截图发给管理员。
pause
exit /b 1
"""

START_BAT = r"""@echo off
chcp 65001 >nul
cd /d "%~dp0"
if not exist .venv\Scripts\streamlit.exe (
  echo 尚未安装，请先双击“安装.bat”。
  pause
  exit /b 1
)
echo 正在启动网页版，浏览器打开 http://127.0.0.1:8501 ；关闭本窗口即停止。
.venv\Scripts\streamlit.exe run app.py --server.port 8501
"""

CLI_BAT = r"""@echo off
chcp 65001 >nul
cd /d "%~dp0"
set "PATH=%~dp0.venv\Scripts;%PATH%"
echo 已可使用 jxcheck 命令，例如：jxcheck check 报送材料文件夹
cmd /k
"""

INSTALL_SH = """#!/bin/sh
# Install jxcheck from the wheels in this folder, with no network.
set -e
cd "$(dirname "$0")"
PY="${{PYTHON:-python{pyver}}}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -m venv .venv
.venv/bin/python -m pip install --no-index --find-links wheels/linux jxcheck
echo "安装完成。./start.sh 启动网页版；命令行：.venv/bin/jxcheck"
"""

START_SH = """#!/bin/sh
cd "$(dirname "$0")"
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}"
"""

GUIDE = """jxcheck 离线安装包（版本 {version}，Python {pyver}，Windows x64 / Linux x64）

本文件夹可以整体拷到 U 盘，在不能上网的电脑上安装。

Windows
  1. 先安装 Python {pyver}（64 位）。安装时勾选“Add python.exe to PATH”。
  2. 双击“安装.bat”。大约需要 1–3 分钟，不需要联网。
  3. 双击“启动网页版.bat”，浏览器打开 http://127.0.0.1:8501 。关闭黑色窗口即停止。
  4. 命令行：双击“命令行.bat”，在打开的窗口里输入 jxcheck check 报送材料文件夹 。

Linux
  sh install.sh       安装到本文件夹的 .venv
  sh start.sh         启动网页版
  .venv/bin/jxcheck   命令行

说明
  - 所有检查都在本机完成，材料不会发送到任何地方。
  - 读取 .doc、.wps、.et 等旧版文件需要本机安装 LibreOffice 或 WPS 转换后的 .docx；没有时这类文件会提示 needs_libreoffice，其余文件照常检查。
  - 升级：用新版安装包覆盖本文件夹后再运行一次“安装.bat”。
"""


def run(cmd: list[str]) -> None:
    print("$", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"失败：{' '.join(cmd[:4])} …（退出码 {proc.returncode}）")


def pip(*args: str) -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]


def build(out: Path, pyver: str, platforms: list[str], make_zip: bool) -> Path:
    from checker import __version__

    if out.exists():
        shutil.rmtree(out)
    local = out / "_build"
    local.mkdir(parents=True)
    # the project wheel, and jieba (source only on PyPI) as a pure-Python wheel
    run(pip("wheel", "--no-deps", "-q", "-w", str(local), str(ROOT)))
    run(pip("wheel", "--no-deps", "-q", "-w", str(local), "jieba==0.42.1"))
    project = next(local.glob("jxcheck-*.whl"))
    short = pyver.replace(".", "")
    for name in platforms:
        dest = out / "wheels" / name
        dest.mkdir(parents=True)
        for w in local.glob("*.whl"):
            shutil.copy2(w, dest)
        plat_args = [a for p in PLATFORMS[name] for a in ("--platform", p)]
        run(pip("download", "-q", "--only-binary=:all:", *plat_args, "--python-version", pyver, "--implementation", "cp",
                "--abi", f"cp{short}", "--find-links", str(local), "-d", str(dest), str(project)))
    shutil.rmtree(local)
    shutil.copy2(ROOT / "app.py", out / "app.py")
    (out / ".streamlit").mkdir()
    shutil.copy2(ROOT / ".streamlit" / "config.toml", out / ".streamlit" / "config.toml")
    samples = out / "samples"
    samples.mkdir()
    for p in sorted((ROOT / "samples").iterdir()):
        if p.suffix.lower() in (".docx", ".xlsx", ".pdf", ".xls", ".doc", ".wps", ".et", ".zip"):
            shutil.copy2(p, samples / p.name)
    crlf = {"安装.bat": INSTALL_BAT, "启动网页版.bat": START_BAT, "命令行.bat": CLI_BAT}
    for name, text in crlf.items():
        (out / name).write_bytes(text.format(pyver=pyver).replace("\n", "\r\n").encode("utf-8"))
    for name, text in {"install.sh": INSTALL_SH, "start.sh": START_SH}.items():
        path = out / name
        path.write_text(text.format(pyver=pyver) if "{pyver}" in text else text, encoding="utf-8", newline="\n")
        path.chmod(0o755)
    (out / "使用说明.txt").write_bytes(GUIDE.format(version=__version__, pyver=pyver).replace("\n", "\r\n").encode("utf-8"))
    if make_zip:
        archive = out.with_suffix(".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(out.rglob("*")):
                if p.is_file():
                    zf.write(p, Path(out.name) / p.relative_to(out))
        print(f"已生成 {archive}")
    print(f"已生成离线安装包：{out}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成离线安装包（需要联网下载依赖）")
    ap.add_argument("--out", default=str(ROOT / "dist" / "jxcheck-offline"), help="输出文件夹")
    ap.add_argument("--python", default=f"{sys.version_info.major}.{sys.version_info.minor}", help="目标电脑的 Python 版本，如 3.11")
    ap.add_argument("--platform", choices=sorted(PLATFORMS), action="append", help="只生成某个平台（默认两个都生成）")
    ap.add_argument("--no-zip", action="store_true", help="不另外打包成 .zip")
    a = ap.parse_args(argv)
    build(Path(a.out), a.python, a.platform or ["windows", "linux"], not a.no_zip)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
