import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

# Two workers on two cores: each build keeps to one DuckDB thread (dq/duck.py), the suite ~10 % faster than
# four threads contending for two cores. A test about DuckDB's parallel reading unsets it (multithreaded).
os.environ.setdefault("DQ_THREADS", "1")


@pytest.fixture
def multithreaded(monkeypatch):
    """DuckDB's own thread count for this test (the suite's DQ_THREADS=1 would leave a parallel reader untested)."""
    monkeypatch.delenv("DQ_THREADS", raising=False)

FIX = Path(__file__).parent / "fixtures"
CHECK_DATE = "2026-11-22"


@pytest.fixture(scope="session")
def constructed(tmp_path_factory):
    """The constructed rows validated once: (annotated DataFrame, summary)."""
    from dq.validate import validate
    out = tmp_path_factory.mktemp("constructed")
    summary = validate(FIX / "constructed_occurrence.csv", out, CHECK_DATE)
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    return ann, summary, out


@pytest.fixture(scope="session")
def frog_validated(tmp_path_factory):
    """The real 斑腿樹蛙 file (../shared/data) through `validate` once for the session: (summary,
    output folder, the progress lines it wrote). Three modules read it; each run took 5-8 s."""
    from dq.paths import SHARED_DATA
    from dq.validate import validate
    src = SHARED_DATA / "occurrence" / "invasive_frog_polypedates_megacephalus.csv"
    if not src.exists():
        pytest.skip("needs ../shared/data")
    out = tmp_path_factory.mktemp("frog_validated")
    lines: list[str] = []
    summary = validate(src, out, CHECK_DATE, progress=lines.append)
    return summary, out, lines


@pytest.fixture(scope="session")
def damaged_cli(tmp_path_factory):
    """tests/fixtures/frog_head_damaged.csv through a real `python -m dq validate` process, once for the
    session (the CLI test and the report test read it): (the finished process, its output folder)."""
    out = tmp_path_factory.mktemp("damaged_cli")
    r = subprocess.run([sys.executable, "-m", "dq", "validate", str(FIX / "frog_head_damaged.csv"), "--out", str(out),
                        "--date", CHECK_DATE], capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    return r, out


def flagged(ann: pd.DataFrame) -> list[set[str]]:
    """Per row, the checks that fired on it: its errors, warnings and notes."""
    return [set(x for x in ";".join(v).split(";") if x) for v in zip(ann["dq_errors"], ann["dq_warnings"], ann["dq_notes"])]


# ---- the browser tests' shared server and Chromium --------------------------------------------
# One `streamlit run app.py` and one headless Chromium for the whole session (tests/test_e2e.py,
# test_realfiles.py, test_opendata.py): starting each again per test or module cost ~2 s a browser
# and ~5 s a server, and proved nothing more. Each test still opens its own browser context (no
# cookies or storage shared) and each server session is a fresh Streamlit session.
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    """`streamlit run app.py` on a free port; its URL. Stopped (by its own pid) when the session ends.
    Its first visitor in a full run is test_e2e.py's first test, whose first page is a deep link: the case
    a freshly started server once got wrong (test_e2e sorts before the other modules that use it)."""
    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    log = tempfile.TemporaryFile()   # not a pipe: nobody reads it while the session runs, and a full pipe would stall the server
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        proc.wait(timeout=20)
        log.seek(0)
        pytest.fail("streamlit did not start: " + log.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium (never a downloaded browser), launched once."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is required (scripts/test.sh installs it)"
    from playwright.sync_api import sync_playwright
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def new_page(chromium):
    """new_page(**options): a page in a browser context of its own, closed (with its context) after the test."""
    pages = []

    def make(**options):
        page = chromium.new_page(**options)
        pages.append(page)
        return page
    yield make
    for page in pages:
        page.close()


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (scripts/test.sh: -n 2 --dist loadgroup) every test that drives the browser runs
    on one worker, in file order: one server and one Chromium, and the server's first visitor is still
    test_e2e.py's deep link (the case a freshly started server once got wrong)."""
    for item in items:
        if {"server", "new_page", "chromium"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_configure(config):
    # known to pytest-xdist; declared here too, so a run without it (-p no:xdist) warns of nothing
    config.addinivalue_line("markers", "xdist_group(name): tests that share one xdist worker")
