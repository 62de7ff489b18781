"""Zip archives (DwC-A, GBIF downloads, XLSX) opened without trusting what they say.

Every member name is checked before anything is read: absolute paths, `..`, drive letters,
backslashes, symlinks and device entries are refused, so nothing is ever read from or written
outside the work folder. The declared sizes are capped (total and compression ratio) before
extraction, and extraction streams in chunks that count the real bytes, so a member that lies
about its size stops at the cap instead of filling the disk. Bad CRCs and encrypted members
become a clear error, not a traceback.
"""
from __future__ import annotations

import os
import posixpath
import stat
import zipfile
from pathlib import Path

from .base import SourceError

# A real Taiwanese DwC-A (BBS, 2.1M occurrences) unpacks to ~900 MB; text compresses 5-20x.
MAX_TOTAL = int(os.environ.get("DQ_MAX_UNZIPPED_MB", "4096")) * 1024 * 1024
MAX_RATIO = 200          # deflate on real CSV gives < 30; bombs give thousands
MAX_MEMBERS = 10_000
CHUNK = 1 << 20


def _bad_name(name: str) -> str | None:
    if not name or "\x00" in name:
        return "an empty name"
    if "\\" in name:
        return "a backslash in its path"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    norm = posixpath.normpath(name)
    if norm == ".." or norm.startswith("../") or "/../" in f"/{name}/":
        return "a '..' in its path"
    return None


def _kind(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    if info.create_system == 3 and mode:     # made on Unix: the mode bits are meaningful
        if stat.S_ISLNK(mode):
            return "a symbolic link"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            return "a device or pipe"
    return None


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip and refuse it whole if any member is unsafe or the sizes are implausible."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise SourceError(f"{path.name}: not a readable zip archive ({type(e).__name__})",
                          f"{path.name}：不是可讀取的 zip 壓縮檔，請重新壓縮後再上傳。") from e
    if len(infos) > MAX_MEMBERS:
        raise SourceError(f"{path.name}: the archive holds {len(infos):,} members (limit {MAX_MEMBERS:,})",
                          f"{path.name}：壓縮檔內有 {len(infos):,} 個檔案，超過上限 {MAX_MEMBERS:,}。")
    total = 0
    for info in infos:
        why = _bad_name(info.filename) or _kind(info)
        if why:
            raise SourceError(f"{path.name}: member '{info.filename[:120]}' has {why}; such archives are refused",
                              f"{path.name}：壓縮檔成員「{info.filename[:120]}」含不安全的路徑或類型（{why}），拒絕處理。")
        if info.flag_bits & 0x1:
            raise SourceError(f"{path.name}: member '{info.filename}' is encrypted; upload it without a password",
                              f"{path.name}：成員「{info.filename}」有密碼保護，請以不加密的方式壓縮後再上傳。")
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SourceError(f"{path.name}: member '{info.filename}' would expand {info.file_size // max(info.compress_size, 1):,} times "
                              f"(limit {MAX_RATIO}); refused as a possible zip bomb",
                              f"{path.name}：成員「{info.filename}」解壓後會膨脹超過 {MAX_RATIO} 倍，疑為壓縮炸彈，拒絕處理。")
    if total > MAX_TOTAL:
        raise SourceError(f"{path.name}: the archive unpacks to {total / 2**20:,.0f} MB (limit {MAX_TOTAL / 2**20:,.0f} MB)",
                          f"{path.name}：壓縮檔解壓後有 {total / 2**20:,.0f} MB，超過上限 {MAX_TOTAL / 2**20:,.0f} MB。")
    return zf


def member_name(zf: zipfile.ZipFile, name: str, archive: str) -> str:
    """The archive member a file (e.g. meta.xml's <location>) names, checked like the members."""
    why = _bad_name(name)
    if why:
        raise SourceError(f"{archive}: meta.xml names '{name[:120]}', which has {why}; refused",
                          f"{archive}：meta.xml 指向「{name[:120]}」，路徑不安全，拒絕處理。")
    if name not in zf.NameToInfo:
        raise SourceError(f"{archive}: meta.xml names '{name[:120]}', which the archive does not hold",
                          f"{archive}：meta.xml 指向的檔案「{name[:120]}」不在壓縮檔內。")
    if zf.getinfo(name).is_dir():
        raise SourceError(f"{archive}: meta.xml names '{name[:120]}', which is a folder, not a file",
                          f"{archive}：meta.xml 指向的「{name[:120]}」是資料夾，不是檔案。")
    return name


def extract(zf: zipfile.ZipFile, name: str, dest_dir: Path, archive: str) -> Path:
    """Stream one checked member to a fresh file under dest_dir, counting the real bytes."""
    info = zf.getinfo(name)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    # our own flat name: the member's path never becomes a path on disk
    out = dest_dir / f"member_{zf.infolist().index(info)}{Path(name).suffix[:10]}"
    cap = min(MAX_TOTAL, max(info.file_size, 0) + CHUNK)
    n = 0
    try:
        with zf.open(info) as src, open(out, "xb") as dst:
            while chunk := src.read(CHUNK):
                n += len(chunk)
                if n > cap:
                    raise SourceError(f"{archive}: member '{name}' is larger than its header says; refused",
                                      f"{archive}：成員「{name}」的實際大小與標示不符，拒絕處理。")
                dst.write(chunk)
    except SourceError:
        out.unlink(missing_ok=True)
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        out.unlink(missing_ok=True)
        raise SourceError(f"{archive}: member '{name}' cannot be unpacked ({type(e).__name__}: damaged, bad CRC or unsupported)",
                          f"{archive}：成員「{name}」無法解壓（檔案損壞、CRC 錯誤或不支援的壓縮方式），請重新壓縮後再上傳。") from e
    return out


def read_small(zf: zipfile.ZipFile, name: str, archive: str, limit: int = 16 << 20) -> bytes:
    """A small member (meta.xml) into memory, refusing more than `limit` bytes."""
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise SourceError(f"{archive}: {name} is {info.file_size:,} bytes; more than {limit:,} is not a plausible {name}",
                          f"{archive}：{name} 過大（{info.file_size:,} 位元組），不是合理的 {name}。")
    try:
        with zf.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        raise SourceError(f"{archive}: {name} cannot be unpacked ({type(e).__name__})",
                          f"{archive}：{name} 無法解壓（檔案損壞或 CRC 錯誤）。") from e
    if len(data) > limit:
        raise SourceError(f"{archive}: {name} is larger than its header says; refused",
                          f"{archive}：{name} 的實際大小與標示不符，拒絕處理。")
    return data
