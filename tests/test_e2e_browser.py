"""End to end: the real `streamlit run app.py` server driven by headless Debian Chromium.

Uploads a sample .docx through the page's file input and reads the score and a finding
from the rendered page. Saves a screenshot to tests/artifacts/ (and to docs/screenshot.png
when JXCHECK_UPDATE_SCREENSHOT=1). Never downloads a browser: it uses /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from checker.api import check_bytes
from checker.webui import loading, render

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROME_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="未安装 Chromium（/usr/bin/chromium）"),
]


@pytest.fixture(scope="session")
def samples(samples_dir) -> Path:
    """The folder the app lists samples from: JXCHECK_SAMPLES if set (as app.py), else samples/."""
    return Path(os.environ.get("JXCHECK_SAMPLES") or samples_dir)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit not healthy at {url} after {timeout}s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    streamlit = Path(sys.executable).parent / "streamlit"
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(streamlit), "run", "app.py", "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        except (RuntimeError, TimeoutError) as exc:
            pytest.fail(f"{exc}\n{log.read_text(errors='replace')[-3000:]}")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=120_000)  # the first check on a fresh server loads models
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def page(browser):
    pg = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg.set_default_timeout(90_000)
    yield pg
    pg.close()


def test_upload_a_sample_and_read_score_and_finding(server, page, samples):
    from playwright.sync_api import expect

    docs = [p for p in loading.list_samples(samples) if p.suffix == ".docx"]
    assert docs, "samples/ has no .docx sample; run `make samples`"
    results = {p: check_bytes(p.read_bytes(), p.name).to_dict() for p in docs}
    sample = max(docs, key=lambda p: (len(results[p]["findings"]), p.name))
    expected = results[sample]
    assert expected["status"] == "ok", expected.get("error")

    page.goto(server)
    expect(page.get_by_text("绩效自评质检").first).to_be_visible()
    # a fresh start already shows the first sample: the app works with no upload
    expect(page.locator(".jx-score .jx-big")).to_be_visible()

    page.locator("input[type=file]").first.set_input_files(str(sample))
    expect(page.get_by_role("heading", name=render.doc_title(expected))).to_be_visible()
    expect(page.get_by_text(f"文件：{sample.name}")).to_be_visible()
    score = page.locator(".jx-score .jx-big")
    expect(score).to_have_text(f"{render.fmt_score(expected['score'])}（{expected['grade']}）")

    from checker.publishing.wording import ordered

    first = ordered(expected["findings"])[0]
    finding = page.locator(".jx-finding").filter(has_text=first["message"]).first
    expect(finding).to_be_visible()
    assert first["code"] in finding.inner_text()

    page.get_by_role("tab", name="原表（问题处高亮）").click()
    grid = page.locator("table.jx-grid").last
    expect(grid).to_be_visible()
    if any(render.parse_field(f["location"].get("field"))[0] == "indicators" for f in expected["findings"]):
        assert grid.locator("td.jx-error, td.jx-warning, td.jx-info").count() > 0
    page.get_by_role("tab", name="发现的问题").click()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "app.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("JXCHECK_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")


# ---- screen checks at the bureau's usual laptop size (1366×768) ----------------------------


@pytest.fixture(scope="module")
def small_page(browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    pg.set_default_timeout(90_000)
    yield pg
    pg.close()


def _sample_with_findings(samples) -> tuple[Path, dict]:
    docs = [p for p in loading.list_samples(samples) if p.suffix in (".docx", ".pdf", ".xlsx")]
    results = {p: check_bytes(p.read_bytes(), p.name).to_dict() for p in docs}
    best = max(docs, key=lambda p: (any(f["severity"] == "error" for f in results[p]["findings"]), len(results[p]["findings"]), p.name))
    return best, results[best]


def test_first_finding_on_the_first_screen_errors_first(server, small_page, samples):
    from playwright.sync_api import expect

    from checker.publishing.wording import ordered

    sample, expected = _sample_with_findings(samples)
    page = small_page
    page.goto(server)
    page.locator("input[type=file]").first.set_input_files(str(sample))
    expect(page.get_by_role("heading", name=render.doc_title(expected))).to_be_visible()
    first = page.locator(".jx-finding").first
    expect(first).to_contain_text(ordered(expected["findings"])[0]["message"])
    box = first.bounding_box()
    assert box and box["y"] + 60 <= 768, f"第一条问题不在首屏：{box}"  # at least its title and message show
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-1366x768.png"))


def test_rejected_upload_replaces_the_old_result_with_a_chinese_error(server, small_page, tmp_path):
    from playwright.sync_api import expect

    page = small_page
    page.goto(server)
    expect(page.locator(".jx-score .jx-big")).to_be_visible()  # the first sample's result
    bad = tmp_path / "说明.txt"
    bad.write_text("这不是报送材料", encoding="utf-8")
    page.locator("input[type=file]").first.set_input_files(str(bad))
    expect(page.get_by_text("无法读取：")).to_be_visible()
    expect(page.locator(".jx-score")).to_have_count(0)


def test_unreadable_file_in_single_view_keeps_the_view(server, small_page, samples, tmp_path):
    from playwright.sync_api import expect

    page = small_page
    page.goto(server)
    good = loading.list_samples(samples)[0]
    bad = tmp_path / "损坏的文件.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    page.locator("input[type=file]").first.set_input_files([str(good), str(bad)])
    tab = page.get_by_role("tab", name="逐份查看")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    pick = page.get_by_label("选择文档")
    pick.click()
    page.get_by_role("option", name="无法读取：损坏的文件.docx").click()
    expect(page.get_by_text("无法读取：", exact=False).last).to_be_visible()
    page.wait_for_timeout(1500)  # let the rerun finish
    expect(page.get_by_role("tab", name="逐份查看")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("文件：损坏的文件.docx")).to_be_visible()


def test_enter_submits_the_quick_check(server, small_page):
    from playwright.sync_api import expect

    page = small_page
    page.goto(server)
    page.get_by_text("单条检查", exact=True).first.click()
    box = page.get_by_label("三级指标名称（也可写作“名称：指标值”）")
    box.fill("群众满意度：明显提升")
    box.press("Enter")
    expect(page.get_by_text("有问题")).to_be_visible()
    expect(page.get_by_text("规则判定", exact=False)).to_be_visible()
