"""Where the project's files live, and which snapshots exist. One place, so tests, pages and the CLI agree;
importing it loads nothing of the write pipeline."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REFERENCE = DATA / "reference"
SNAPSHOTS = DATA / "snapshots"
# The shared real data sits beside the project; only build scripts read it.
SHARED_DATA = ROOT.parent / "shared" / "data"
DEMO_ROOT = DATA / "demo" / "snapshots"
OD_DEMO_ROOT = DATA / "demo" / "opendata"
OD_ROOT = SNAPSHOTS / "opendata"
DATE_RX = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def list_snapshots(*roots: Path) -> list[Path]:
    """Finished snapshots (a dated folder with its manifest) under the given roots, oldest first."""
    out = []
    for r in roots:
        if Path(r).exists():
            out += [p for p in Path(r).iterdir() if p.is_dir() and DATE_RX.match(p.name) and (p / "manifest.json").exists()]
    return sorted(out, key=lambda p: p.name)


# Results derived from immutable snapshots, kept between server starts (never committed).
CACHE = DATA / "cache"
