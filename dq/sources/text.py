"""Delimited text: CSV, TSV, pipe-delimited; any encoding charset-normalizer recognises; CR, LF, CRLF.

No text from the file reaches SQL: DuckDB reads every row under positional names (c1, c2, …)
and the header row comes back as data; the staged Parquet gets the cleaned header names
through `duck.ident`. Ragged rows are kept (#10): a short row is padded with empty cells, a
long row keeps its extra cells in `overflow_cells`, and both carry `row_cells` for the row-shape
check. Only rows that cannot be read at all (an unterminated quote, a line over the size limit,
bad bytes) go to the rejects with their reason, so read = staged + rejected.
"""
from __future__ import annotations

import csv
import bisect
import codecs
import mmap
import heapq
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import duck
from ..i18n import t
from .base import LOOK, SourceError, StagedSource, clean_headers, header_at, staged_relation, title_note

SAMPLE = 1 << 20
CANDIDATE_DELIMS = [",", "\t", "|", ";"]
MAX_LINE = 8 << 20          # one record over 8 MB is not a record: rejected, the rest kept
MAX_EXTRA_CELLS = 1000      # cells beyond the header kept in overflow_cells, up to this many
MAX_COLUMNS = 2000          # GBIF's widest export has ~250; beyond this a "header" is not a header
MAX_PATCHES = 200           # unterminated quotes rejected one by one, up to this many per file
NULLSTR = "\x01dq-padded\x01"   # marks cells DuckDB padded, so an empty cell ('') stays distinct

# Headerless layouts we know by shape: the TaiCOL/TaiBON plant name list (pipe, 10 columns).
KNOWN_HEADERLESS = {
    "twnamelist": ["name_id", "family", "family_zh", "vernacularName", "scientificName",
                   "scientificNameWithAuthor", "code1", "code2", "redlistCategory", "nativeStatus"],
}
_BIG5 = {"big5", "big5hkscs", "cp950"}


def sniff_encoding(path: Path, name: str | None = None) -> tuple[str, str | None]:
    """(encoding, note). UTF-8 is taken only when the head decodes strictly; otherwise
    charset-normalizer judges (Big5 variants are read as CP950, their superset) and the
    guess is noted, so a mis-read file is visible rather than silent mojibake."""
    name = name or path.name
    with open(path, "rb") as f:
        head = f.read(SAMPLE)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SAMPLE)
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    matches = list(from_bytes(head))
    if not matches:
        raise SourceError(f"{name}: cannot tell the text encoding; save the file as UTF-8 and try again",
                          f"{name}：無法判斷文字編碼，請另存為 UTF-8 後再試。")
    # Among the equally clean readings, the code pages files here are really written in win:
    # Big5/CP950 (Chinese Windows), then CP1252 (Western Windows, Latin-1's superset); otherwise
    # the library's first choice. On Latin-1 French text it ranks cp1250 first, which turns à into ŕ.
    best = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= best + 0.01]
    names = {n for m in close for n in [m.encoding] + list(m.could_be_from_charset)}
    if names & _BIG5:
        return "cp950", None
    enc = "cp1252" if "cp1252" in names else codecs.lookup(close[0].encoding).name
    return enc, (f"encoding guessed as {enc} (not UTF-8 or Big5); if names look garbled, save the file as UTF-8")


def _bare_cr(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(SAMPLE)
    return re.search(rb"\r(?!\n)", head[:-1]) is not None


def transcode_to_utf8(src: Path, encoding: str, dst: Path, name: str) -> None:
    """Rewrite as UTF-8 with LF line ends, chunk by chunk (a CR at a chunk's end is held back).

    Undecodable bytes become U+FFFD rather than refusing the file; the caller notes it."""
    dec = codecs.getincrementaldecoder(encoding)(errors="replace")
    with open(src, "rb") as fi, open(dst, "w", encoding="utf-8", newline="") as fo:
        carry = ""
        while True:
            chunk = fi.read(SAMPLE)
            text = carry + dec.decode(chunk, final=not chunk)
            carry = ""
            if chunk and text.endswith("\r"):
                kept = text.rstrip("\r")
                text, carry = kept, text[len(kept):]
            # CR CR LF (a CRLF file whose line ends were converted again) is one line end, not two
            fo.write(text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n"))
            if not chunk:
                break


def _head_lines(path: Path, n: int = 30) -> list[str]:
    with open(path, "rb") as f:
        raw = f.read(SAMPLE)
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return [ln for ln in text.split("\n") if ln.strip()][:n]


def _cells(line: str, delim: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delim), []))
    except csv.Error:
        return 0


def sniff_delimiter(con, path: Path) -> str:
    """DuckDB's sniffer, held to the delimiters real exports use; a plain count decides when it
    picks something else (its choice on files with broken rows can be a stray character)."""
    try:
        d = con.execute("SELECT Delimiter FROM sniff_csv(?, sample_size=20480, all_varchar=true, header=false, "
                        "null_padding=true, max_line_size=?)", [str(path), MAX_LINE]).fetchone()[0]
    except Exception:     # the sniffer gives up on some damaged heads; the count below still works
        d = None
    lines = _head_lines(path)
    if d in CANDIDATE_DELIMS:
        # values holding many line breaks can mislead the sniffer (it then splits nothing): the
        # first line, the header, must split on the delimiter if any candidate splits it
        if lines and _cells(lines[0], d) == 1:
            wider = max(CANDIDATE_DELIMS, key=lambda c: _cells(lines[0], c))
            if _cells(lines[0], wider) > 1:
                return wider
        return d
    best, best_score = ",", -1.0
    for c in CANDIDATE_DELIMS:
        counts = [ln.count(c) for ln in lines[:20]]
        if not counts or min(counts) == 0:
            continue
        score = sum(1 for x in counts if x == counts[0]) / len(counts) * 1000 + counts[0]
        if score > best_score:
            best, best_score = c, score
    return best


def _looks_like_data(first: list[str]) -> bool:
    from .aliases import _LOOKUP, norm_header
    known = sum(1 for h in first if norm_header(h or "") in _LOOKUP)
    numeric = sum(1 for h in first if re.fullmatch(r"-?\d+(\.\d+)?", (h or "").strip() or "x"))
    return known == 0 and numeric >= 1


def _headerless_names(first: list[str]) -> list[str]:
    if len(first) == 10 and (first[0] or "").strip().isdigit() and re.match(r"^[A-Z][a-z]+ [a-z]", first[4] or ""):
        return KNOWN_HEADERLESS["twnamelist"]
    return [f"column_{i + 1}" for i in range(len(first))]


def _reader(path: Path, delim: str, width: int, rejects: str, parallel: bool = True) -> str:
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, width + 1)) + "}"
    return (f"read_csv({duck.q(path)}, header=false, columns={cols}, auto_detect=false, delim={duck.q(delim)}, "
            f"quote='\"', escape='\"', null_padding=true, strict_mode=true, nullstr={duck.q(NULLSTR)}, "
            f"store_rejects=true, rejects_table='{rejects}_errors', rejects_scan='{rejects}_scans', "
            f"max_line_size={MAX_LINE}, parallel={'true' if parallel else 'false'})")


def _first_records(con, path: Path, delim: str, n: int, unread: list | None = None) -> list[list[str]]:
    """The file's first `n` records (their cells); `unread` gets the lines among them DuckDB could not read
    (line, its text, the reason), which are no records."""
    # wide enough for the first records even when a quoted header cell holds a line break
    with open(path, "rb") as f:
        head = [f.readline(MAX_LINE) for _ in range(n + 2)]
    width = min(max(ln.count(delim.encode()) for ln in head) + 1, 16384)
    rows = con.execute(f"SELECT * FROM {_reader(path, delim, width, 'hdr', parallel=False)} LIMIT {int(n)}").fetchall()
    if unread is not None:
        unread += con.execute("SELECT line, any_value(csv_line), min(error_type) FROM hdr_errors GROUP BY line ORDER BY line").fetchall()
    con.execute("DROP TABLE IF EXISTS hdr_errors; DROP TABLE IF EXISTS hdr_scans")
    out = []
    for row in rows:
        cells = [None if v == NULLSTR else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append([c or "" for c in cells])
    return out


# why DuckDB could not read a line, in words (dq/i18n.py NOTE_WORDS_ZH has them in zh-TW)
UNREAD_WHY = {"UNQUOTED VALUE": "a quote out of place", "INVALID UNICODE": "bytes that are no text in its encoding",
              "LINE SIZE OVER MAXIMUM": "longer than the line limit"}


def _line_of(record: int, unread: list[int], empty: list[int]) -> int:
    """The line (1-based, as a spreadsheet numbers its rows) of the file's `record`-th record (0-based):
    lines DuckDB could not read and empty lines (both ascending) hold none."""
    line = record + 1
    for gone in heapq.merge(unread, empty):
        if gone > line:
            break
        line += 1
    return line


def _line_start(src: Path, pos: int) -> int:
    """Where the line DuckDB reports at `pos` starts: its positions point one past the
    previous line's end, or at an empty line before it."""
    lo = max(0, pos - 4096)
    with open(src, "rb") as f:
        f.seek(lo)
        win = f.read(pos - lo + 4096)
    cut = pos - lo
    start = win.rfind(b"\n", 0, cut) + 1
    while start < len(win) and win[start:start + 1] == b"\n":
        start += 1
    return lo + start


def _odd_quotes(path: Path) -> bool:
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(SAMPLE):
            n += chunk.count(b'"')
    return n % 2 == 1


def _quoted_values(mm, d: bytes):
    """(start, end) byte positions of each quoted value, end None for one that never closes. Read as the
    CSV reader does: a quote opens a value only at the start of a cell, "" inside a quoted value is one
    quote, and a quote inside an unquoted cell is text. Only the quotes are visited (files with quoted
    values hold few of them next to their bytes)."""
    opened = None
    skip_to = -1
    for m in re.finditer(rb'"', mm):
        i = m.start()
        if i < skip_to:
            continue
        if opened is None:
            if i == 0 or mm[i - 1] in (0x0A, 0x0D) or mm[max(0, i - len(d)):i] == d:
                opened = i
        elif i + 1 < len(mm) and mm[i + 1] == 0x22:
            skip_to = i + 2          # an escaped quote inside the value
        else:
            yield opened, i
            opened = None
    if opened is not None:
        yield opened, None


def _unclosed_quote(path: Path, delim: str) -> tuple[int, int] | None:
    """Where the quote that never closes opens, as (record number, 1-based with the header; byte
    position), or None."""
    with open(path, "rb") as f:
        try:
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:      # an empty file
            return None
        with mm:
            quoted_newlines = 0
            for start, end in _quoted_values(mm, delim.encode("utf-8")):
                if end is None:
                    line_start = mm.rfind(b"\n", 0, start) + 1
                    return mm[:line_start].count(b"\n") - quoted_newlines + 1, start
                quoted_newlines += mm[start:end].count(b"\n")
            return None


def _empty_lines(path: Path, chunk: int = 16 * SAMPLE, delim: str | None = None) -> tuple[list[int], int] | None:
    """The numbers (from 1) of the file's empty lines, and how many lines it has. DuckDB's reader
    skips an empty line without a word, so every row after one was numbered a line short of the
    row a spreadsheet shows (and of the lines it reports rejected). With `delim`, numbered as DuckDB
    numbers lines where values hold line breaks (a record is one line however many it spans, an empty
    line is one): the empty lines outside quoted values; None when a quote never closes (then nothing
    can be said). The lines are counted `chunk` bytes at a time; without `delim` the file is read
    that way too (a memory map of a 3.2 GB TSV made it the build's peak resident memory: 3.3 GB)."""
    if delim is None:
        with open(path, "rb") as f:
            return _empty_lines_read(f, chunk)
    with open(path, "rb") as f:
        try:
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:      # an empty file
            return [], 0
        with mm:
            spans = list(_quoted_values(mm, delim.encode("utf-8"))) if delim else []
            if spans and spans[-1][1] is None:
                return None
            starts = [a for a, _ in spans]
            inside = [0]          # newlines inside the quoted values up to each one
            for a, b in spans:
                inside.append(inside[-1] + mm[a:b].count(b"\n"))
            found, seen, at = [], 0, 0
            if mm[:1] == b"\n" or mm[:2] == b"\r\n":
                found.append(1)
            # one regular-expression search (0.14 s over a 318 MB TSV; two mmap.find calls took 0.53 s)
            if _EMPTY_LINE.search(mm):
                for m in _EMPTY_LINE_AT.finditer(mm):
                    p = m.start()
                    k = bisect.bisect_right(starts, p)     # the values that start before this newline
                    if k and spans[k - 1][1] > p:
                        continue                            # a line break inside a value
                    seen += mm[at:p + 1].count(b"\n")
                    at = p + 1
                    found.append(seen + 1 - inside[k])      # the line this newline opens is empty
            newlines = sum(mm[i:i + chunk].count(b"\n") for i in range(0, len(mm), chunk))
            return found, newlines - inside[-1] + (1 if mm[-1:] != b"\n" else 0)


# what runs beside a DuckDB statement: stage_text's empty-line scan
_BESIDE = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dq-beside")
_EMPTY_LINE = re.compile(rb"\n\r?\n")
_EMPTY_LINE_AT = re.compile(rb"\n(?=\r?\n)")


def _empty_lines_read(f, chunk: int) -> tuple[list[int], int]:
    """_empty_lines without quoted values, reading `chunk` bytes at a time into one buffer (copies of
    16 MB blocks cost as much as the search): each block ends at its last line end, and of the
    partial line after it only whether it is empty or a lone CR matters, so at most two bytes of it
    are carried into the next."""
    found: list[int] = []
    before = 0              # line ends before the block
    ba = bytearray(chunk + 2)
    mv = memoryview(ba)
    k = 0                   # bytes carried at the buffer's start
    while True:
        n = f.readinto(mv[k:k + chunk])
        if not n:
            break
        end = k + n
        cut = ba.rfind(b"\n", 0, end) + 1
        if cut:
            if ba[:1] == b"\n" or ba[:2] == b"\r\n":     # the block starts a line
                found.append(before + 1)
            seen, at = 0, 0
            # a search for any empty line first: most blocks have none, and stepping through every
            # line end to look ahead costs three times as much
            if _EMPTY_LINE.search(ba, 0, cut):
                for m in _EMPTY_LINE_AT.finditer(ba, 0, cut):
                    p = m.start()
                    seen += ba.count(b"\n", at, p + 1)
                    at = p + 1
                    found.append(before + seen + 1)       # the line this line end opens is empty
            before += ba.count(b"\n", 0, cut)
        rest = ba[cut:end] if end - cut <= 2 else b"xx"   # the partial line: empty, a lone CR, or more
        k = len(rest)
        ba[:k] = rest
    return found, before + (1 if k else 0)


def _blank_line(src: Path, dst: Path, pos: int) -> bytes:
    """Copy src to dst with the line DuckDB reported at byte `pos` emptied (its newline kept).
    Returns the removed line (up to 64 kB) for the rejects ledger."""
    start = _line_start(src, pos)
    removed = b""
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        left = start
        while left:
            chunk = fi.read(min(left, SAMPLE))
            if not chunk:
                break
            fo.write(chunk)
            left -= len(chunk)
        while True:       # skip to the end of that line
            chunk = fi.read(SAMPLE)
            if not chunk:
                break
            nl = chunk.find(b"\n")
            if len(removed) < 65536:
                removed += chunk[: nl if nl >= 0 else len(chunk)][: 65536 - len(removed)]
            if nl >= 0:
                fo.write(chunk[nl:])
                break
        shutil.copyfileobj(fi, fo, SAMPLE)
    return removed


def stage_text(path: Path, workdir: Path, *, delimiter: str | None = None, header: bool | None = None,
               names: list[str] | None = None, encoding: str | None = None, fmt: str = "csv",
               progress=None, display_name: str | None = None, number_on_read: bool = False) -> StagedSource:
    """A delimited text file staged as Parquet (text columns, row shape, source_row) plus its ledger.
    `number_on_read`: when every line was read in its place, the reading pass's file is the staged
    file itself, its leading lines (title, header) among its rows, and `StagedSource.cast` says how
    to read it numbered (base.staged_relation); for callers that read staged rows only that way."""
    path = Path(path)
    name = display_name or path.name      # errors name the file as the user knows it, never a server path
    if not path.exists():
        raise SourceError(f"{name}: no such file", f"{name}：找不到這個檔案。")
    if path.stat().st_size == 0:
        raise SourceError(f"{name}: the file is empty", f"{name}：檔案是空的。")
    notes: list[str] = []
    if encoding:
        enc = encoding
    else:
        enc, note = sniff_encoding(path, name)
        if note:
            notes.append(note)
    readable = path
    if enc not in ("utf-8", "utf-8-sig") or _bare_cr(path):
        readable = workdir / f"{abs(hash(str(path))) % 10**8}.utf8.txt"
        if progress:
            progress(f"rewriting {name} ({enc}) as UTF-8 with LF line ends")
        transcode_to_utf8(path, enc, readable, name)
    con = duck.connect(spatial=False)
    duck.limit(con, workdir / "spill")
    try:
        return _stage(con, path, readable, workdir, name, enc, notes, delimiter, header, names, fmt, number_on_read)
    finally:
        con.close()
        if readable != path:
            readable.unlink(missing_ok=True)


def _header_unreadable(name: str, why: str = "broken quote or bad bytes", why_zh: str = "引號未關閉或含無效字元") -> SourceError:
    """The file is refused: its header row (not necessarily its first line: a title may stand above it) cannot be read."""
    return SourceError(f"{name}: the header row cannot be read ({why})", f"{name}：標題列無法解析（{why_zh}），請修正後再上傳。")


def _stage(con, path, readable, workdir, name, enc, notes, delimiter, header, names, fmt, number_on_read=False) -> StagedSource:
    delim = delimiter or sniff_delimiter(con, readable)
    unread: list = []     # lines among the first records DuckDB could not read
    recs = _first_records(con, readable, delim, LOOK, unread)
    # a first line of empty cells (",,,,": a sheet's blank top row saved as CSV) is skipped like a title
    if not recs or not any(c.strip() for r in recs for c in r):
        # a quote opened on the first line and never closed swallows the whole file into one value
        with open(readable, "rb") as f:
            first = f.readline(MAX_LINE)
        if not recs and first.count(b'"') % 2:
            raise SourceError(f"{name}: the first line opens a quote (\") that never closes, so the whole file reads as one "
                              "value: close or remove that quote",
                              f"{name}：第一列有一個引號（\"）沒有關閉，整個檔案因此被讀成同一個值：請補上或刪除這個引號。")
        raise SourceError(f"{name}: the file holds no rows (its first line is blank or cannot be read)",
                          f"{name}：檔案沒有可讀的資料列（第一列空白或無法讀取）。")
    # a quote left open in the header swallows the next line into its first record: a cell holding both a
    # line break and the delimiter is that, never a header (Excel's headers may break a line, "數量\n(隻)")
    if any("\n" in c and delim in c for c in recs[0]):
        raise _header_unreadable(name, "a quote in it never closes", "其中的引號沒有關閉")
    # one scan of the bytes for the empty lines (the title note, the rows' numbers below), in a thread
    # beside DuckDB's statements, which release the GIL; it reads a block at a time, so the statements
    # never wait long for the GIL (10M-row TSV: 4.7 s of Python beside the reading pass). Not before the
    # refusals above: a refused file's scan would run on for nothing.
    empty_scan = _BESIDE.submit(_empty_lines, readable)
    # a title line above the header ("2008-2016 蛙類調查資料,,,,", a sheet saved as CSV) is no header
    h = header_at(recs) if header is None else 0
    # a title wider than the header would be read as a row of too many cells, and shift the rows' count:
    # then no title is taken (the file reads as before, nothing lost)
    if h and (_looks_like_data(recs[h]) or any(len(r) > len(recs[h]) for r in recs[:h])):
        h = 0
    first = recs[h]
    if header is None:
        header = not _looks_like_data(first)
    # the row a spreadsheet shows the header on: empty lines and lines DuckDB could not read above it count
    # (DuckDB's records do not)
    head_line = _line_of(h, [u[0] for u in unread], empty_scan.result()[0]) if header else 0
    above = [u for u in unread if u[0] < head_line]     # unreadable lines above the header: no rows, said here
    if h:
        notes.append(title_note(head_line, recs[:h]))
    for ln, raw, why in above:
        notes.append(f"line {ln}, above the header, cannot be read ({UNREAD_WHY.get(why, why.lower())}) and is no row: "
                     f"{' '.join(str(raw).split())[:80]}")
    raw_names = first if header else (names or _headerless_names(first))
    if names and header:
        raw_names = names
    cols, renamed = clean_headers(raw_names)
    notes += renamed
    width = len(cols)
    if width > MAX_COLUMNS:
        raise SourceError(f"{name}: {width:,} columns; more than {MAX_COLUMNS:,} is not a table this tool can check "
                          "(is the delimiter right?)",
                          f"{name}：有 {width:,} 個欄位，超過上限 {MAX_COLUMNS:,}（分隔符號是否正確？）。")
    if width > 200:
        con.execute("SET threads=1")    # the Parquet writer holds buffers per column and thread
    stem = workdir / f"{Path(name).stem[:40]}.{abs(hash(str(path))) % 10**8}"
    staged = Path(f"{stem}.staged.parquet")
    rejects = Path(f"{stem}.rejects.parquet")
    good = Path(f"{stem}.good.parquet")
    offset = 1 + h if header else 0     # the records before the first row: titles, the header
    # the lines before it (DuckDB's line numbers, after the empty lines above the header are taken out):
    # the unreadable lines above the header too (a row's number counted them, and the ledger dropped them unsaid)
    top_lines = offset + len(above)
    # The rows are written in their staged form in the reading pass itself: DuckDB's reader keeps the
    # file's order and row_number() OVER () streams, so a row's number is its line (the header, when
    # there is one, is row 1). That holds unless lines were rejected or set apart for re-reading (too
    # many cells); then one more pass below shifts the numbers past those lines. (A second pass over
    # every row cost a third of staging a CSV.)
    # DuckDB pads a short row with NULL; an empty cell reads as '' (nullstr is a marker no file holds)
    sel_good = ", ".join(f"nullif(c{i}, '') AS {duck.ident(c)}" for i, c in enumerate(cols, start=1))
    # a flat list, not a chain of +: thousands of columns must not exceed DuckDB's expression depth
    n_cells_good = "len(list_filter([" + ", ".join(f"c{i}" for i in range(1, width + 1)) + "], x -> x IS NOT NULL))"

    # numbered when read: the reading pass writes the rows as they come, its leading lines with them,
    # and a row's number is its place in that file (file_row_number). Numbering them here with
    # row_number() OVER () ran the whole pass, the Parquet writer too, on one thread (1M-row TSV:
    # 2.8 s against 1.6 s). DuckDB refuses file_row_number beside a column of that name.
    numbered = number_on_read and not any(c.lower() == "file_row_number" for c in cols)

    def read_pass(src: Path, par: bool) -> str:
        cells = f"{sel_good}, NULL::VARCHAR AS overflow_cells, CASE WHEN c{width} IS NULL THEN {n_cells_good} END::INTEGER AS row_cells"
        rows = _reader(src, delim, width, 'rd', par)
        if numbered:
            return f"COPY (SELECT {cells} FROM {rows}) TO {duck.q(good)} (FORMAT parquet)"
        return f"""COPY (SELECT {cells}, (rn - {offset})::BIGINT AS source_row
            FROM (SELECT *, row_number() OVER () AS rn FROM {rows}) WHERE rn > {offset}) TO {duck.q(good)} (FORMAT parquet)"""

    # Read; an unterminated quote swallows the rest of the file, so that one line is emptied in a
    # copy and the read repeated: the line is rejected with its reason and every other row kept.
    con.execute("CREATE TABLE patched (line BIGINT, raw VARCHAR, reason VARCHAR)")
    current = readable
    parallel = True
    for attempt in range(MAX_PATCHES + 1):
        con.execute("DROP TABLE IF EXISTS rd_errors; DROP TABLE IF EXISTS rd_scans")
        try:
            con.execute(read_pass(current, parallel))
        except Exception as e:   # DuckDB's own error types; what is wrong is said below, not its text
            if parallel and "quoted new lines" in str(e):
                # DuckDB's parallel reader cannot pad short rows when values hold line breaks
                parallel = False
                con.execute("DROP TABLE IF EXISTS rd_errors; DROP TABLE IF EXISTS rd_scans")
                try:
                    con.execute(read_pass(current, False))
                except Exception as e2:
                    raise SourceError(f"{name}: cannot be read as delimited text ({type(e2).__name__})",
                                      f"{name}：無法以分隔文字格式讀取，請確認是 CSV/TSV 檔。") from e2
            else:
                raise SourceError(f"{name}: cannot be read as delimited text ({type(e).__name__})",
                                  f"{name}：無法以分隔文字格式讀取，請確認是 CSV/TSV 檔。") from e
        hit = con.execute("""SELECT line, line_byte_position FROM rd_errors
            WHERE error_type = 'UNQUOTED VALUE' AND error_message ILIKE '%unterminated%' ORDER BY line LIMIT 1""").fetchone()
        if hit is None and not parallel and _odd_quotes(current):
            # the serial reader (values with line breaks) drops a quote left open to the end of the
            # file without a word, and the rows after it with it: find that quote's line ourselves
            hit = _unclosed_quote(current, delim)
            if hit is not None and header and hit[0] <= top_lines:
                raise _header_unreadable(name)
            if hit is None:
                raise SourceError(f"{name}: a quote (\") opens a value that never closes, so the rest of the file cannot be read; "
                                  "close or remove that quote",
                                  f"{name}：有一個引號（\"）開啟後沒有關閉，之後的內容無法讀取；請關閉或刪除該引號後再上傳。")
        if hit is None:
            break
        if attempt == MAX_PATCHES:
            raise SourceError(f"{name}: more than {MAX_PATCHES} rows have an unterminated quote (\"); is the quote character right?",
                              f"{name}：超過 {MAX_PATCHES} 列有未關閉的引號（\"），請確認檔案格式。")
        nxt = workdir / f"{stem.name}.patch{attempt % 2}.txt"
        raw = _blank_line(current, nxt, int(hit[1]))
        con.execute("INSERT INTO patched VALUES (?, ?, ?)",
                    [hit[0], raw.decode("utf-8", "replace"), "unterminated quote: a \" opens a value that never closes"])
        if current not in (readable,):
            current.unlink(missing_ok=True)
        current = nxt

    # Empty lines: DuckDB skips them, but a spreadsheet shows each as a row and DuckDB's own line
    # numbers count them. They go to the ledger as blank lines (nothing lost), so the rows after one
    # keep the number of the line they are on. Empty lines above the header are no rows: the lines
    # are renumbered without them (`shift`); those after the last row are left out as before.
    def placed(empty: list[int], n_lines: int) -> tuple[list[int], int, int]:
        empty = list(empty)
        while empty and empty[-1] == n_lines:     # the file's trailing empty lines: below every row, they number none
            empty.pop()
            n_lines -= 1
        shift, top = 0, top_lines
        for e in empty:     # above the header, or (a file without one) before its first line
            if e > top and e != shift + 1:
                break
            shift, top = shift + 1, top + 1
        return [e - shift for e in empty[shift:]], shift, n_lines

    skip = {"skip": offset} if numbered else None     # how the reading pass's file reads as staged rows
    good_read = staged_relation(good, skip, cols)
    empty, shift, n_lines = placed(*empty_scan.result())
    if empty:
        n_good0 = con.execute(f"SELECT count(*) FROM {good_read}").fetchone()[0]
        n_bad = con.execute("SELECT count(*) FROM (SELECT line FROM rd_errors UNION SELECT line FROM patched)").fetchone()[0]
        fits = lambda e, s_, n: n - s_ == offset + n_good0 + n_bad + len(e)   # noqa: E731
        if not fits(empty, shift, n_lines):
            # a value holding line breaks spans lines: DuckDB counts it as one line (and an empty line as
            # one), so the empty lines are found again outside the values, in that numbering
            again = _empty_lines(readable, delim=delim)
            if again is None and current != readable:
                # a quote never closes in the file: read the copy with that line emptied (it is in the
                # ledger with its reason already, so it is no blank line)
                again = _empty_lines(current, delim=delim)
                if again is not None:
                    gone = {r[0] for r in con.execute("SELECT line FROM patched").fetchall()}
                    again = ([e for e in again[0] if e not in gone], again[1])
            empty, shift, n_lines = placed(*again) if again else ([], shift, n_lines)
            if not fits(empty, shift, n_lines):
                empty = []
    con.execute("CREATE TABLE empty_lines (line BIGINT)")
    if empty:    # one statement (a row-by-row insert took ~6 min per million empty lines)
        con.execute("INSERT INTO empty_lines SELECT unnest(?::BIGINT[])", [empty])
    if shift:
        con.execute("UPDATE rd_errors SET line = line - ?", [shift])
        con.execute("UPDATE patched SET line = line - ?", [shift])
    # Rows with more cells than the header: read again, wide enough, and keep the extra cells.
    con.execute("""CREATE TABLE wide_lines AS SELECT line, ltrim(any_value(csv_line), chr(10) || chr(13)) AS csv_line
        FROM rd_errors WHERE error_type = 'TOO MANY COLUMNS' GROUP BY line""")
    # A line with more cells than are kept is not re-read: one such line among them made the re-read
    # drop it, shift the pairing of lines and rows, and so lose every wide row with it. A split on the
    # delimiter counts a quoted delimiter too, never fewer cells than there are.
    limit = width + MAX_EXTRA_CELLS
    con.execute("CREATE TABLE reread AS SELECT line, csv_line FROM wide_lines WHERE len(string_split(csv_line, ?)) <= ?", [delim, limit])
    n_wide = con.execute("SELECT count(*) FROM reread").fetchone()[0]
    con.execute("CREATE TABLE wide (line BIGINT, vals VARCHAR[])")
    if n_wide:
        wide_txt = workdir / f"{stem.name}.wide.txt"
        con.execute(f"COPY (SELECT csv_line FROM reread ORDER BY line) TO {duck.q(wide_txt)} "
                    "(FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1f')")
        m = con.execute("SELECT max(len(string_split(csv_line, ?))) FROM reread", [delim]).fetchone()[0]
        m = min(int(m), limit)
        cs = ", ".join(f"c{i}" for i in range(1, m + 1))
        con.execute(f"""INSERT INTO wide SELECT w.line, r.vals FROM
            (SELECT [{cs}] AS vals, row_number() OVER () AS n FROM {_reader(wide_txt, delim, m, 'wd', parallel=False)}) r
            JOIN (SELECT line, row_number() OVER (ORDER BY line) AS n FROM reread) w USING (n)""")
        wide_txt.unlink(missing_ok=True)
        if con.execute("SELECT count(*) FROM wide").fetchone()[0] != n_wide:
            con.execute("DELETE FROM wide")     # a quoted line break among them: reject them, say why
        else:
            con.execute("DELETE FROM wide_lines WHERE line IN (SELECT line FROM wide)")
    # Every line that is not among the good rows, with a reason when it is lost.
    con.execute(f"""CREATE TABLE rej AS
        SELECT line, any_value(csv_line) AS raw,
               CASE WHEN trim(any_value(csv_line)) = '' THEN 'blank line (white space only)'
                    WHEN bool_or(error_type = 'LINE SIZE OVER MAXIMUM') THEN 'line longer than {MAX_LINE >> 20} MB'
                    WHEN bool_or(error_type = 'TOO MANY COLUMNS') THEN 'more than {MAX_EXTRA_CELLS} cells beyond the header'
                    ELSE min(error_type || ': ' || error_message) END AS reason
        FROM rd_errors WHERE line NOT IN (SELECT line FROM wide) GROUP BY line
        UNION ALL SELECT line, raw, reason FROM patched
        UNION ALL SELECT line, '' AS raw, 'blank line (empty)' AS reason FROM empty_lines""")
    if header and con.execute("SELECT count(*) FROM rej WHERE line = ?", [top_lines]).fetchone()[0]:
        raise _header_unreadable(name)
    # good row k sits on line k + 1 + (lines missing before it); consecutive missing lines share
    # one good_before, so the largest count wins
    con.execute("""CREATE TABLE gap AS SELECT good_before, max(n_before) AS n_before FROM (
                   SELECT line - row_number() OVER (ORDER BY line) AS good_before, row_number() OVER (ORDER BY line) AS n_before
                   FROM (SELECT line FROM rej UNION ALL SELECT line FROM wide)) GROUP BY good_before""")
    sel_wide = ", ".join(f"nullif(vals[{i}], '') AS {duck.ident(c)}" for i, c in enumerate(cols, start=1))
    d = duck.q(delim)
    n_gap = con.execute("SELECT count(*) FROM gap").fetchone()[0]
    n_wide_kept = con.execute("SELECT count(*) FROM wide").fetchone()[0]
    cast = None
    if not n_gap and not n_wide_kept:
        os.replace(good, staged)       # every line read in its place: the reading pass wrote the staged file
        cast = skip
    else:
        # good row k (0-based, the header included) sits on line k + 1 + (lines missing before it); the
        # leading lines (titles, the header) are no rows: the reading pass's rows (good_read) hold none of
        # them, and `line > top_lines` below leaves out a wide line re-read among them
        good_rows = f"(SELECT *, source_row + {offset} - 1 AS k FROM {good_read})"
        # the ASOF join only when lines are missing; in file order, no sort (record order is not needed
        # downstream, and sorting millions of rows would dominate the read)
        line = "g.k + 1 + coalesce(r.n_before, 0)" if n_gap else "g.k + 1"
        join = f"{good_rows} g ASOF LEFT JOIN gap r ON g.k >= r.good_before" if n_gap else f"{good_rows} g"
        wide_part = f"""UNION ALL
              SELECT {sel_wide},
                     array_to_string(list_transform(vals[{width + 1}:], x -> coalesce(x, '')), {d}) AS overflow_cells,
                     len(list_filter(vals, x -> x IS NOT NULL))::INTEGER AS row_cells, line
              FROM wide""" if n_wide_kept else ""
        con.execute(f"""COPY (
            SELECT * EXCLUDE (line), (line - {top_lines})::BIGINT AS source_row FROM (
              SELECT g.* EXCLUDE (source_row, k), {line} AS line FROM {join}
              {wide_part})
            WHERE line > {top_lines}) TO {duck.q(staged)} (FORMAT parquet)""")
    rel = staged_relation(staged, cast, cols)
    n_good = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]
    # a title line, or an unreadable line above the header (said in the notes), is no row: not data, not lost
    con.execute("DELETE FROM rej WHERE line < ?", [top_lines])
    n_rej = con.execute("SELECT count(*) FROM rej").fetchone()[0]
    if n_rej:
        con.execute(f"""COPY (SELECT (line - {top_lines})::BIGINT AS source_row, left(raw, 65536) AS raw, reason FROM rej ORDER BY line)
                        TO {duck.q(rejects)} (FORMAT parquet)""")
    # a line of white space alone is one short cell too, but the build sends it to the ledger as a blank
    # row: counted here it was "kept" in the note and rejected in the counts
    from ..checks import cells_sql
    some = cells_sql([duck.ident(c) for c in cols], "any_filled")
    # only the short and the wide rows are looked at (a FILTER clause tests every cell of every row:
    # 0.23 s at 1M rows); row_cells is set on them alone
    n_short, n_long = con.execute(f"""SELECT count(*) FILTER (WHERE overflow_cells IS NULL AND ({some})),
        count(*) FILTER (WHERE overflow_cells IS NOT NULL) FROM {rel} WHERE row_cells IS NOT NULL OR overflow_cells IS NOT NULL""").fetchone()
    if enc in _BIG5 and cols:
        # Excel's "CSV" on a zh-TW Windows is Big5 (CP950): a character it cannot hold (鴴, 鷉, 堃 …) is saved
        # as '?' for good. Said once for the file: its names then read as another species' ("茶腹?")
        lost = " + ".join(f"(regexp_matches(coalesce({duck.ident(c)}, ''), '\\p{{Han}}\\?|\\?\\p{{Han}}'))::INT"
                          for c in cols[:300])
        # the first million rows tell (a scan of every cell of a 10M-row file cost ~26 s); a '?' a person typed
        # (疑似幼鳥?) looks the same, hence "most likely"
        n_lost = con.execute(f"SELECT coalesce(sum({lost}), 0) FROM (SELECT * FROM {rel} LIMIT 1000000)").fetchone()[0]
        if n_lost:
            notes.append(f"{int(n_lost):,} cells have '?' beside Chinese characters: most likely characters Big5 (CP950) cannot "
                         f"hold, lost when the file was saved; save it as UTF-8 (CSV UTF-8) and send it again")
    if n_short:
        notes.append(f"{n_short:,} {'row has' if n_short == 1 else 'rows have'} fewer cells than the header ({width}): kept, missing cells empty")
    if n_long:
        notes.append(f"{n_long:,} {'row has' if n_long == 1 else 'rows have'} more cells than the header ({width}): kept, the extra cells "
                     f"in the column \"{t('ann_overflow_cells', 'en')}\" (overflow_cells)")
    good.unlink(missing_ok=True)
    if current != readable:
        current.unlink(missing_ok=True)
    return StagedSource(path=path, staged=staged, rejects=rejects if n_rej else None, rows_staged=n_good,
                        rows_rejected=n_rej, columns=cols, format=fmt, encoding=enc, delimiter=delim,
                        header=header, notes=notes, has_shape=True, cast=cast)
