"""Where the project's files live. One place, so tests and the CLI agree."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REFERENCE = DATA / "reference"
SNAPSHOTS = DATA / "snapshots"
# The shared real data sits beside the project; only build scripts read it.
SHARED_DATA = ROOT.parent / "shared" / "data"
# Results derived from immutable snapshots, kept between server starts (never committed).
CACHE = DATA / "cache"
