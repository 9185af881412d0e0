"""Legacy formats (.doc/.wps/.et/.xls xlrd can't read/.odt/.ods/.rtf) via LibreOffice headless.

Each call gets a fresh LibreOffice profile in its own temp folder so parallel workers
never share one (removed afterwards, with LibreOffice's temp files), link updates and
macros off in that profile, no network (its own network namespace where the platform
allows), a memory ceiling and a timeout. LibreOffice exits 0 even on junk, so the output
file must exist and be non-empty.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.limits import limits_of
from checker.core.document import RawDocument

TARGET = {"doc": "docx", "wps": "docx", "odt": "docx", "rtf": "docx", "xls": "xlsx", "et": "xlsx", "ods": "xlsx"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# Written into the throw-away profile before LibreOffice starts: never update links (a
# document under review must not fetch a remote image or read a linked local file), block
# untrusted referer links, macros off, no update check.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Field" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Update/Update"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments"><prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

_SANDBOX: list[str] | None = None


def sandbox_prefix() -> list[str]:
    """`unshare` options that put LibreOffice in its own network and PID namespaces: no network
    at all (not even loopback), and everything it forks dies with it. Tried once per process;
    falls back to no namespace (the profile settings above still hold) where not allowed."""
    global _SANDBOX
    if _SANDBOX is not None:
        return _SANDBOX
    _SANDBOX = []
    exe = shutil.which("unshare")
    if exe and sys.platform.startswith("linux"):
        for opts in (["--net", "--pid", "--fork", "--kill-child"], ["--map-root-user", "--net", "--pid", "--fork", "--kill-child"]):
            try:
                ok = subprocess.run([exe, *opts, "true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10).returncode == 0
            except (OSError, subprocess.SubprocessError):
                ok = False
            if ok:
                _SANDBOX = [exe, *opts]
                break
    return _SANDBOX


def _limit_child(memory_mb: float):
    """preexec for the converter: die with the worker, and a ceiling on its address space."""

    def apply() -> None:
        from checker.core.parentwatch import die_with_parent

        die_with_parent()
        try:
            import resource

            cap = int(memory_mb * 1024 * 1024)
            resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
        except (ImportError, ValueError, OSError):
            pass

    return apply


def _sweep_stale(max_age_s: float = 6 * 3600) -> None:
    """Remove conversion folders left by a worker that was killed mid-conversion (its `with`
    block never ran): those whose worker (the pid in the name) is gone, or older than a few hours."""
    import time

    root = Path(tempfile.gettempdir())
    try:
        found = list(root.glob("jxcheck-lo-*"))
    except OSError:
        return
    for p in found:
        owner = p.name.split("-")[2] if p.name.count("-") >= 3 else ""
        gone = False
        if owner.isdigit() and int(owner) != os.getpid():
            try:
                os.kill(int(owner), 0)
            except ProcessLookupError:
                gone = True
            except OSError:
                pass
        try:
            old = time.time() - p.stat().st_mtime > max_age_s
        except OSError:
            continue
        if gone or old:
            shutil.rmtree(p, ignore_errors=True)


def convert(data: bytes, src: str, target: str, config: Config) -> bytes:
    exe = soffice_path()
    if exe is None:
        raise ReadError("needs_libreoffice")
    _sweep_stale()
    lim = limits_of(config)
    timeout = lim.conversion_timeout_s
    with tempfile.TemporaryDirectory(prefix=f"jxcheck-lo-{os.getpid()}-") as tmp:
        tmpd = Path(tmp)
        inp = tmpd / f"input.{src}"
        inp.write_bytes(data)
        outdir = tmpd / "out"
        outdir.mkdir()
        user = tmpd / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        (tmpd / "tmp").mkdir()
        profile = (tmpd / "profile").as_uri()
        cmd = [*sandbox_prefix(), exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo", "--nodefault",
               "--nolockcheck", "--convert-to", target, "--outdir", str(outdir), str(inp)]
        # no proxy settings reach it, temp files stay in the folder removed below
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(HOME=str(tmpd), TMPDIR=str(tmpd / "tmp"), TMP=str(tmpd / "tmp"), TEMP=str(tmpd / "tmp"))
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
                                    preexec_fn=_limit_child(lim.conversion_memory_mb), cwd=str(tmpd))
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                _kill_group(proc)
                raise ReadError("conversion_failed", f"旧版 Office 文件转换超时（超过 {timeout:.0f} 秒），文件可能已损坏或设有密码。请另存为 .docx/.xlsx 后再提交。") from exc
            finally:
                _kill_group(proc)  # nothing it started outlives the conversion
        except OSError as exc:
            raise ReadError("needs_libreoffice", f"无法启动 LibreOffice：{exc}") from exc
        out = outdir / f"input.{target}"
        if not out.is_file() or out.stat().st_size == 0:
            raise ReadError("conversion_failed", "旧版 Office 文件转换失败，文件可能已损坏、过大或设有打开密码。请另存为 .docx/.xlsx 后再提交。")
        if out.stat().st_size > lim.file_bytes:
            raise ReadError("conversion_failed", "旧版 Office 文件转换后体积超过上限，已拒绝读取。")
        return out.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # LibreOffice forks; end its whole group
    except OSError:
        pass
    try:
        proc.kill()
    except OSError:
        pass
    proc.wait()


_HREF = __import__("re").compile(rb'(xlink:href\s*=\s*)(["\'])(.*?)\2', __import__("re").S)
_EXTERNAL = __import__("re").compile(rb"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|/|\\|\.\.)")


def strip_external_links(data: bytes) -> bytes:
    """An OpenDocument file with every link to outside the package emptied (linked sections,
    images, objects, tables): LibreOffice would otherwise read a linked local file into the
    document, or fetch a remote one, while converting. Parts inside the package stay."""
    import io
    import zipfile

    def fix(xml: bytes) -> bytes:
        return _HREF.sub(lambda m: m.group(1) + m.group(2) + (b"" if _EXTERNAL.match(m.group(3)) else m.group(3)) + m.group(2), xml)

    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                body = src.read(info)
                if info.filename.endswith(".xml"):
                    body = fix(body)
                dst.writestr(info, body)  # same ZipInfo: mimetype stays first and stored
        return out.getvalue()
    except Exception:
        return data  # not a readable zip: LibreOffice will fail on it anyway


def convert_and_read(data: bytes, src: str, config: Config) -> RawDocument:
    target = TARGET.get(src, "docx")
    if src in ("odt", "ods"):
        data = strip_external_links(data)
    converted = convert(data, src, target, config)
    try:
        if target == "docx":
            from checker.reading.parsers.docx import read_docx

            raw = read_docx(converted, config)
        else:
            from checker.reading.parsers.xlsx import read_xlsx

            raw = read_xlsx(converted, config)
    except ReadError as err:
        raise ReadError("conversion_failed", f"旧版 Office 文件转换后仍无法读取（{err.message}）。请另存为 .docx/.xlsx 后再提交。") from err
    raw.format = src
    if not raw.paragraphs and not any(any(c.strip() for c in r) for t in raw.tables for r in t.rows):
        # LibreOffice turns unreadable bytes into an empty document
        raise ReadError("conversion_failed")
    return raw
