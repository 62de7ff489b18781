"""Delimited text: CSV, TSV, pipe-delimited; UTF-8, UTF-8 with BOM, Big5/CP950; CR, LF, CRLF.

Encoding and delimiter are sniffed from the head of the file. Non-UTF-8 input is transcoded
to a temporary UTF-8 file in 1 MB chunks (memory stays flat), then DuckDB's CSV reader stages
it to Parquet, recording malformed lines in its rejects table instead of failing the file.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from .. import duck
from .base import SourceError, StagedSource

SAMPLE = 1 << 20
CANDIDATE_DELIMS = [",", "\t", "|", ";"]

# Headerless layouts we know by shape: the TaiCOL/TaiBON plant name list (pipe, 10 columns).
KNOWN_HEADERLESS = {
    "twnamelist": ["name_id", "family", "family_zh", "vernacularName", "scientificName",
                   "scientificNameWithAuthor", "code1", "code2", "redlistCategory", "nativeStatus"],
}


def sniff_encoding(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(SAMPLE)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "cp950", "big5hkscs"):
        try:
            dec = codecs.getincrementaldecoder(enc)()
            dec.decode(head, final=len(head) < SAMPLE)
            return enc
        except UnicodeDecodeError:
            continue
    raise SourceError(f"{path.name}: cannot tell the text encoding (not UTF-8, UTF-16 or Big5/CP950)")


def _head_lines(path: Path, encoding: str, n: int = 30) -> list[str]:
    with open(path, "rb") as f:
        raw = f.read(SAMPLE)
    text = raw.decode(encoding, errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [ln for ln in text.split("\n") if ln.strip()][:n]


def sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1.0
    for d in CANDIDATE_DELIMS:
        counts = [len(next(csv.reader([ln], delimiter=d))) - 1 for ln in lines[:20]]
        if not counts or min(counts) == 0:
            continue
        consistent = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = consistent * 1000 + counts[0]
        if score > best_score:
            best, best_score = d, score
    return best


def _looks_like_data(first: list[str]) -> bool:
    from .aliases import _LOOKUP, norm_header
    known = sum(1 for h in first if norm_header(h) in _LOOKUP)
    numeric = sum(1 for h in first if re.fullmatch(r"-?\d+(\.\d+)?", h.strip() or "x"))
    return known == 0 and numeric >= 1


def _headerless_names(first: list[str]) -> list[str]:
    if len(first) == 10 and first[0].strip().isdigit() and re.match(r"^[A-Z][a-z]+ [a-z]", first[4] or ""):
        return KNOWN_HEADERLESS["twnamelist"]
    return [f"column_{i + 1}" for i in range(len(first))]


def _bare_cr(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(SAMPLE)
    return re.search(rb"\r(?!\n)", head[:-1]) is not None


def transcode_to_utf8(src: Path, encoding: str, dst: Path) -> None:
    """Rewrite as UTF-8 with LF line ends, chunk by chunk (a CR at a chunk's end is held back)."""
    dec = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(src, "rb") as fi, open(dst, "w", encoding="utf-8", newline="") as fo:
            carry = ""
            while True:
                chunk = fi.read(SAMPLE)
                text = carry + dec.decode(chunk, final=not chunk)
                carry = ""
                if chunk and text.endswith("\r"):
                    text, carry = text[:-1], "\r"
                fo.write(text.replace("\r\n", "\n").replace("\r", "\n"))
                if not chunk:
                    break
    except UnicodeDecodeError as e:
        raise SourceError(f"{src.name}: not valid {encoding} at byte {e.start}: {e.reason}") from e


def stage_text(path: Path, workdir: Path, *, delimiter: str | None = None, header: bool | None = None,
               names: list[str] | None = None, encoding: str | None = None, fmt: str = "csv",
               progress=None) -> StagedSource:
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name}: the file is empty")
    enc = encoding or sniff_encoding(path)
    lines = _head_lines(path, enc)
    if not lines:
        raise SourceError(f"{path.name}: the file holds no rows")
    delim = delimiter or sniff_delimiter(lines)
    first = next(csv.reader([lines[0].lstrip("\ufeff")], delimiter=delim))
    if header is None:
        header = not _looks_like_data(first)
    if not header and names is None:
        names = _headerless_names(first)
    readable = path
    if enc not in ("utf-8", "utf-8-sig") or _bare_cr(path):
        readable = workdir / (path.stem + ".utf8.txt")
        if progress:
            progress(f"rewriting {path.name} ({enc}) as UTF-8 with LF line ends")
        transcode_to_utf8(path, enc, readable)

    staged = workdir / f"{path.stem}.{abs(hash(str(path))) % 10**8}.staged.parquet"
    rejects = staged.with_suffix(".rejects.parquet")
    con = duck.connect(spatial=False)
    con.execute("SET memory_limit='2GB'")
    opts = [f"delim={duck.q(delim)}", f"header={'true' if header else 'false'}", "all_varchar=true",
            "quote='\"'", "escape='\"'", "store_rejects=true", "rejects_table='rej_errors'",
            "rejects_scan='rej_scans'", "auto_detect=true", "sample_size=20480", "null_padding=false", "strict_mode=true",
            "max_line_size=10000000", "parallel=true"]
    if names:
        opts.append("names=[" + ",".join(duck.q(n) for n in names) + "]")
    src = f"read_csv({duck.q(readable)}, {', '.join(opts)})"
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
        con.execute(f"COPY (SELECT * FROM {src}) TO {duck.q(staged.with_suffix('.tmp.parquet'))} (FORMAT parquet)")
    except Exception as e:  # duckdb raises its own error types; the message is what matters
        raise SourceError(f"{path.name}: cannot parse as delimited text ({str(e).splitlines()[0]})") from e
    # Rejected physical lines -> data-row numbers; good rows are numbered around them.
    offset = 1 if header else 0
    con.execute(f"""CREATE TABLE rej AS SELECT line - {offset} AS source_row,
                    any_value(csv_line) AS raw,
                    CASE WHEN trim(any_value(csv_line)) = '' THEN 'blank line (white space only)'
                         ELSE min(error_type || ': ' || error_message) END AS reason
                    FROM rej_errors GROUP BY line""")
    n_rej = con.execute("SELECT count(*) FROM rej").fetchone()[0]
    con.execute("""CREATE TABLE rej_key AS SELECT source_row - row_number() OVER (ORDER BY source_row) AS good_before,
                   row_number() OVER (ORDER BY source_row) AS n_before FROM rej""")
    sel = ", ".join(f'"{c}"' for c in cols if c != "source_row")
    con.execute(f"""COPY (
        SELECT {sel}, (g.k + 1 + coalesce(r.n_before, 0))::BIGINT AS source_row
        FROM (SELECT *, file_row_number AS k FROM read_parquet({duck.q(staged.with_suffix('.tmp.parquet'))}, file_row_number=true)) g
        ASOF LEFT JOIN rej_key r ON g.k >= r.good_before
        ORDER BY g.k) TO {duck.q(staged)} (FORMAT parquet)""")
    n_good = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(staged)})").fetchone()[0]
    if n_rej:
        con.execute(f"COPY (SELECT source_row, raw, reason FROM rej ORDER BY source_row) TO {duck.q(rejects)} (FORMAT parquet)")
    staged.with_suffix(".tmp.parquet").unlink(missing_ok=True)
    if readable != path:
        readable.unlink(missing_ok=True)
    con.close()
    return StagedSource(path=path, staged=staged, rejects=rejects if n_rej else None, rows_staged=n_good,
                        rows_rejected=n_rej, columns=[c for c in cols if c != "source_row"], format=fmt,
                        encoding=enc, delimiter=delim, header=header)
