"""End to end: `streamlit run app.py`, every page opened in headless Debian Chromium, a
screenshot of each saved to screenshots/, and no Streamlit error box anywhere."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# a deep link first: on a fresh server that is the case that once ran without app.py's navigation
PAGES = ["scorecard", "", "completeness", "coordinates", "coverage", "compare", "opendata", "validate", "rules"]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_every_page_renders_in_chromium(server):
    assert Path(CHROMIUM).exists(), "Debian's chromium is required (scripts/test.sh installs it)"
    from playwright.sync_api import sync_playwright
    SHOTS.mkdir(exist_ok=True)
    failures = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-TW")
        for lang in ("zh", "en"):
            for name in PAGES:
                page.goto(f"{server}/{name}?lang={lang}&agency=特有生物研究保育中心")
                # Streamlit keeps a websocket open: wait for the page's own elements, then for the run to end
                page.wait_for_selector("h1", timeout=60_000)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
                page.wait_for_timeout(2500)   # maps and charts draw after the script run ends
                page.screenshot(path=str(SHOTS / f"{name or 'overview'}_{lang}.png"), full_page=True)
                nav = page.inner_text('[data-testid="stSidebarNav"]') if page.query_selector('[data-testid="stSidebarNav"]') else ""
                if ("機關與資料" if lang == "zh" else "Agencies & data") not in nav:
                    failures.append(f"{name or 'overview'} ({lang}): the sidebar lacks app.py's sections: {nav[:80]!r}")
                for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
                    if page.query_selector(sel):
                        failures.append(f"{name or 'overview'} ({lang}): {page.inner_text(sel)[:300]}")
        browser.close()
    assert not failures, "\n".join(failures)


def test_validate_page_upload_good_and_bad_files(server, tmp_path):
    """A real slice validates and offers its downloads; a file that is not a table gives one clear
    message and the app keeps running."""
    from playwright.sync_api import sync_playwright
    good = Path(__file__).parent / "fixtures" / "frog_head_damaged.csv"   # real frog rows, with a damaged line
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook" * 10)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/validate?lang=zh")
        page.wait_for_selector("h1", timeout=60_000)
        page.set_input_files("input[type=file]", str(bad))
        page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
        assert "無法讀取這個檔案" in page.inner_text('[data-testid="stAlertContentError"]')
        assert not page.query_selector('[data-testid="stException"]')
        page.set_input_files("input[type=file]", str(good))
        page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=120_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "validate_uploaded_zh.png"), full_page=True)
        assert not page.query_selector('[data-testid="stException"]')
        assert not page.query_selector('[data-testid="stAlertContentError"]')
        # the inferred profile is shown and the absent columns are file-level findings
        body = page.inner_text("body")
        assert "判定標準" in body and "自動判定" in body and "檔案層級問題" in body
        browser.close()


def test_scorecard_fix_list_downloads_in_the_browser(server, tmp_path):
    """The data manager's path: agency in the URL, scorecard, download the XLSX fix list."""
    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(f"{server}/scorecard?lang=zh&agency=臺灣生物多樣性觀測網絡（TaiBON）&fixchecks=COORD_TOWN_CENTROID")
        page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=60_000)
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_text("下載 XLSX").click()
        path = tmp_path / "fix.xlsx"
        dl.value.save_as(path)
        browser.close()
    ws = load_workbook(path, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    # headers in the UI language; every row names its offending values and a fix or what to check
    assert rows[0][:7] == ("系統紀錄編號", "來源檔案", "來源列號", "資料集", "紀錄編號", "規則代碼", "嚴重度")
    assert rows[0][7:10] == ("問題", "原始值", "建議修正或請確認")
    assert len(rows) > 1 and {r[5] for r in rows[1:]} == {"COORD_TOWN_CENTROID"}
    assert all("點位在鄉鎮市區中心點" in r[7] and "decimalLatitude=" in r[8] and r[9] for r in rows[1:])
    assert dl.value.suggested_filename.startswith("修正清單_")
