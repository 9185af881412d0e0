"""Legacy formats (.doc/.wps/.et/.xls xlrd can't read/.odt/.ods/.rtf) via LibreOffice headless.

Each call gets a fresh LibreOffice profile in its own temp folder so parallel workers
never share one, and a timeout. LibreOffice exits 0 even on junk, so the output file
must exist and be non-empty.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from checker.config import Config
from checker.errors import ReadError
from checker.model import RawDocument

TARGET = {"doc": "docx", "wps": "docx", "odt": "docx", "rtf": "docx", "xls": "xlsx", "et": "xlsx", "ods": "xlsx"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, src: str, target: str, config: Config) -> bytes:
    exe = soffice_path()
    if exe is None:
        raise ReadError("needs_libreoffice")
    timeout = float(config.get("reader", "timeout_s", 120) or 120)
    with tempfile.TemporaryDirectory(prefix="jxcheck-lo-") as tmp:
        tmpd = Path(tmp)
        inp = tmpd / f"input.{src}"
        inp.write_bytes(data)
        outdir = tmpd / "out"
        outdir.mkdir()
        profile = (tmpd / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo", "--nodefault",
               "--convert-to", target, "--outdir", str(outdir), str(inp)]
        env = dict(os.environ, HOME=str(tmpd))
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                try:
                    os.killpg(proc.pid, 9)  # LibreOffice forks; end its whole group
                except OSError:
                    proc.kill()
                proc.wait()
                raise ReadError("conversion_failed", f"旧版 Office 文件转换超时（超过 {timeout:.0f} 秒），文件可能已损坏或设有密码。请另存为 .docx/.xlsx 后再提交。") from exc
        except OSError as exc:
            raise ReadError("needs_libreoffice", f"无法启动 LibreOffice：{exc}") from exc
        out = outdir / f"input.{target}"
        if not out.is_file() or out.stat().st_size == 0:
            raise ReadError("conversion_failed", "旧版 Office 文件转换失败，文件可能已损坏或设有打开密码。请另存为 .docx/.xlsx 后再提交。")
        return out.read_bytes()


def convert_and_read(data: bytes, src: str, config: Config) -> RawDocument:
    target = TARGET.get(src, "docx")
    converted = convert(data, src, target, config)
    try:
        if target == "docx":
            from checker.parsers.docx import read_docx

            raw = read_docx(converted, config)
        else:
            from checker.parsers.xlsx import read_xlsx

            raw = read_xlsx(converted, config)
    except ReadError as err:
        raise ReadError("conversion_failed", f"旧版 Office 文件转换后仍无法读取（{err.message}）。请另存为 .docx/.xlsx 后再提交。") from err
    raw.format = src
    if not raw.paragraphs and not any(any(c.strip() for c in r) for t in raw.tables for r in t.rows):
        # LibreOffice turns unreadable bytes into an empty document
        raise ReadError("conversion_failed")
    return raw
