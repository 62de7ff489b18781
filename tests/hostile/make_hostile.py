"""Writes CONSTRUCTED HOSTILE FILES (not real records) into a folder, at test time only.

Each file attacks one thing the readers must refuse or survive: SQL through header names or
meta.xml terms, archive members that escape the work folder, XML entities, zip bombs, damaged
zips and workbooks, formula cells, and text that broke the old readers (a header-only file, a
field over 131,072 characters, an unterminated quote, Latin-1, UTF-16, NUL bytes …). The data
rows are one real row of the 斑腿樹蛙 survey (tests/fixtures/frog_head.csv) repeated, so a file
that is read at all is read as a plausible occurrence file.

`write_all(folder, secret, attack)` returns the cases: (file name, class, what must happen:
"ok" = exit 0, "refused" = exit 2, "either"). `secret` is a file holding a token that must never
appear in any output; `attack` is a path that must never be created.
Run by tests/test_hostile.py; never committed as files (some are zip bombs).
"""
from __future__ import annotations

import dataclasses
import io
import os
import struct
import zipfile
from pathlib import Path

HEAD = "WGS84Lati,WGS84Long,year,CommonName,Date,數量(隻),記錄方式"
ROW = "25.1056,121.433,2010,新北市 五股區,2010/4/9,1,目視"
DWC = "http://rs.tdwg.org/dwc/terms/"
TXT = "http://rs.tdwg.org/dwc/text/"
OCC_COLS = ["occurrenceID", "decimalLatitude", "decimalLongitude", "eventDate", "scientificName", "organismQuantity"]
OCC_ROW = ["H-1", "25.1056", "121.433", "2010-04-09", "Kurixalus eiffingeri", "1"]


@dataclasses.dataclass
class Case:
    name: str
    kind: str
    expect: str        # ok | refused | either


def _rows(n: int = 5) -> str:
    return "\n".join([ROW] * n) + "\n"


def _meta(core_loc: str = "occurrence.txt", fields: str | None = None, extra: str = "", files: bool = True,
          id_index: str = "0", ignore: str = "1") -> str:
    if fields is None:
        fields = "".join(f'<field index="{i}" term="{DWC}{c}"/>' for i, c in enumerate(OCC_COLS))
    loc = f"<files><location>{core_loc}</location></files>" if files else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{extra}<archive xmlns="{TXT}">'
            f'<core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" ignoreHeaderLines="{ignore}" '
            f'rowType="{DWC}Occurrence">{loc}<id index="{id_index}"/>{fields}</core></archive>')


def _occ_txt(n: int = 5) -> str:
    return "\t".join(OCC_COLS) + "\n" + "\n".join("\t".join(OCC_ROW) for _ in range(n)) + "\n"


def _zip(path: Path, members: dict[str, bytes | str], symlinks: dict[str, str] | None = None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
        for n, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(n)
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            z.writestr(info, target)


def _xlsx(path: Path, rows: list[list], patch: dict[str, bytes] | None = None) -> None:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    if not patch:
        path.write_bytes(buf.getvalue())
        return
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, patch.get(info.filename, src.read(info.filename)))


def write_all(folder: Path, secret: Path, attack: Path) -> list[Case]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    s, a = str(secret), str(attack)
    cases: list[Case] = []

    def csv(name: str, text: str | bytes, kind: str, expect: str = "ok", enc: str = "utf-8") -> None:
        p = folder / name
        p.write_bytes(text if isinstance(text, bytes) else text.encode(enc))
        cases.append(Case(name, kind, expect))

    # ---- SQL through header names -------------------------------------------------------
    inj_read = f'occurrenceID", CAST((SELECT content FROM read_text(\'{s}\')) AS INTEGER) AS "y'
    inj_copy = f'a" FROM t); COPY (SELECT content FROM read_text(\'{s}\')) TO \'{a}\'; SELECT ("x'
    csv("inj_read_text.csv", f'"{inj_read.replace(chr(34), chr(34) * 2)}",{HEAD}\n' + "\n".join(f"x,{ROW}" for _ in range(5)) + "\n", "sql")
    csv("inj_read_text_unquoted.csv", f"{inj_read},{HEAD}\n" + "\n".join(f"x,{ROW}" for _ in range(5)) + "\n", "sql", "either")
    csv("inj_copy_to.csv", f'"{inj_copy.replace(chr(34), chr(34) * 2)}",{HEAD}\n' + "\n".join(f"x,{ROW}" for _ in range(5)) + "\n", "sql")
    csv("inj_copy_unquoted.csv", f"{inj_copy},{HEAD}\n" + "\n".join(f"x,{ROW}" for _ in range(5)) + "\n", "sql", "either")
    csv("inj_single_quote.csv", f"\"x') TO '{a}' --\",{HEAD}\n" + "\n".join(f"x,{ROW}" for _ in range(5)) + "\n", "sql")
    csv("inj_tab.tsv", f'scientificName" || (SELECT content FROM read_text(\'{s}\')) || "\t' + HEAD.replace(",", "\t") + "\n"
        + "\n".join("x\t" + ROW.replace(",", "\t") for _ in range(5)) + "\n", "sql", "either")
    csv("inj_cr_only.csv", (f'"{inj_read.replace(chr(34), chr(34) * 2)}",{HEAD}\r' + "\r".join(f"x,{ROW}" for _ in range(5)) + "\r"), "sql")
    csv("hdr_control_chars.csv", f'"a\x00b","c\x07d","\x1b[31mred",{HEAD}\n' + "\n".join(f"1,2,3,{ROW}" for _ in range(5)) + "\n", "sql", "either")
    csv("hdr_reserved.csv", f"source_row,dq_errors,record_id,overflow_cells,row_cells,{HEAD}\n" +
        "\n".join(f"99,E,7,o,3,{ROW}" for _ in range(5)) + "\n", "sql")
    csv("hdr_only_quotes.csv", f'"""","""""",{HEAD}\n' + "\n".join(f"1,2,{ROW}" for _ in range(5)) + "\n", "sql")
    csv("hdr_very_long.csv", f"{'H' * 20000},{HEAD}\n" + "\n".join(f"1,{ROW}" for _ in range(5)) + "\n", "sql")
    csv("hdr_duplicates.csv", f"a,a,A,a_2,{HEAD}\n" + "\n".join(f"1,2,3,4,{ROW}" for _ in range(5)) + "\n", "sql")
    csv("hdr_newline_in_quotes.csv", f'"multi\nline",{HEAD}\n' + "\n".join(f"1,{ROW}" for _ in range(5)) + "\n", "sql", "either")
    csv("hdr_formula.csv", f'=HYPERLINK("http://x"),@SUM(A1),{HEAD}\n' + "\n".join(f"1,2,{ROW}" for _ in range(5)) + "\n", "formula")

    # ---- formula cells in data -------------------------------------------------------------
    csv("formula_cells.csv", f"{HEAD},note\n" + "\n".join(f"{ROW},{v}" for v in
        ['=1+1', '+cmd|" /C calc"!A0', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=2', '=HYPERLINK("http://evil")']) + "\n", "formula")
    csv("formula_in_name.csv", "scientificName,decimalLatitude,decimalLongitude,eventDate\n=cmd|'/C calc'!A0,25.1,121.4,2010-01-01\n", "formula")

    # ---- text that broke the old readers ------------------------------------------------
    csv("header_only.csv", HEAD + "\n", "text", "either")
    csv("all_rows_unterminated.csv", HEAD + "\n" + '"25.1,121.4\n', "text", "either")
    csv("long_field.csv", f"{HEAD},note\n{ROW},{'x' * 200_000}\n{ROW},ok\n", "text")
    csv("line_over_limit.csv", f"{HEAD},note\n{ROW},{'y' * (9 << 20)}\n{ROW},ok\n", "text")
    csv("unterminated_mid.csv", HEAD + "\n" + ROW + "\n" + '"25.1,"121.4,2010\n' + _rows(3), "text")
    csv("latin1.csv", "scientificName,vernacularName,decimalLatitude,decimalLongitude\n" +
        "Kurixalus eiffingeri,Grenouille de l'Île,25.1,121.4\n" * 30, "text", enc="latin-1")
    csv("utf16.csv", HEAD + "\n" + _rows(), "text", enc="utf-16")
    csv("binary_garbage.csv", bytes(range(256)) * 64, "text", "either")
    csv("nul_bytes.csv", (HEAD + "\n" + ROW.replace("目視", "目\x00視") + "\n" + ROW + "\n").encode(), "text", "either")
    csv("blank_lines_only.csv", "\n\n  \n\t\n", "text", "either")
    csv("bom_only.csv", b"\xef\xbb\xbf", "text", "either")
    csv("ragged_mixed.csv", HEAD + ",,\n" + "\n".join([ROW, ROW[:20], ROW + ",x,y,z", ROW]) + "\n", "text")
    csv("many_columns.csv", ",".join(f"c{i}" for i in range(1500)) + "\n" + ",".join("1" for _ in range(1500)) + "\n", "text")
    csv("too_many_columns.csv", ",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("1" for _ in range(5000)) + "\n",
        "text", "refused")
    csv("empty.csv", b"", "text", "refused")
    csv("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "text", "either")
    csv("quotes_everywhere.csv", HEAD + "\n" + '"25.1""x",121.4,"2010",a"b,c,d,e\n' + _rows(3), "text")

    # ---- Parquet -----------------------------------------------------------------------
    import pyarrow as pa
    import pyarrow.parquet as pq
    t = pa.table({inj_read: ["x"] * 3, "source_row": ["99"] * 3, 'a"b': ["1"] * 3, "decimalLatitude": ["25.1"] * 3})
    pq.write_table(t, folder / "inj_columns.parquet")
    cases.append(Case("inj_columns.parquet", "sql", "ok"))
    csv("garbage.parquet", b"PAR1" + os.urandom(2000), "text", "refused")

    # ---- Darwin Core Archives ------------------------------------------------------------
    def dwca(name: str, meta: str, members: dict | None = None, expect: str = "refused", kind: str = "archive",
             symlinks: dict | None = None) -> None:
        m = {"meta.xml": meta}
        m.update({"occurrence.txt": _occ_txt()} if members is None else members)
        _zip(folder / name, m, symlinks)
        cases.append(Case(name, kind, expect))

    up = "../" * 12 + s.lstrip("/")
    dwca("dwca_dotdot_core.zip", _meta(core_loc=up))
    dwca("dwca_absolute_core.zip", _meta(core_loc=s))
    dwca("dwca_backslash_core.zip", _meta(core_loc="..\\..\\x.txt"))
    dwca("dwca_symlink_core.zip", _meta(core_loc="occurrence.txt"), members={}, symlinks={"occurrence.txt": s})
    dwca("dwca_folder_core.zip", _meta(core_loc="data/"), members={"data/": b"", "occurrence.txt": _occ_txt()})
    dwca("dwca_missing_core.zip", _meta(core_loc="nothere.txt"))
    dwca("dwca_no_files.zip", _meta(files=False))
    dwca("dwca_bad_index.zip", _meta(fields=f'<field index="one" term="{DWC}scientificName"/>'))
    dwca("dwca_huge_index.zip", _meta(fields=f'<field index="99999999" term="{DWC}scientificName"/>'))
    dwca("dwca_field_no_term.zip", _meta(fields='<field index="0"/>'))
    dwca("dwca_not_xml.zip", "<archive><core>")
    dwca("dwca_xxe.zip", _meta(extra=f'<!DOCTYPE a [<!ENTITY x SYSTEM "file://{s}">]>',
                               fields=f'<field index="0" term="&x;"/>'))
    dwca("dwca_billion_laughs.zip", _meta(extra='<!DOCTYPE a [<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)) + "]>",
        fields=f'<field index="0" term="&l9;"/>'))
    inj_term = f'{DWC}x" , (SELECT content FROM read_text(\'{s}\')) AS "y'
    from xml.sax.saxutils import quoteattr
    dwca("dwca_inj_term.zip", _meta(fields=f'<field index="0" term={quoteattr(inj_term)}/>'
                                    + "".join(f'<field index="{i}" term="{DWC}{c}"/>' for i, c in enumerate(OCC_COLS) if i)),
         expect="ok", kind="sql")
    dwca("dwca_term_source_row.zip", _meta(fields=f'<field index="0" term="{DWC}source_row"/>'
                                           + "".join(f'<field index="{i}" term="{DWC}{c}"/>' for i, c in enumerate(OCC_COLS) if i)),
         expect="ok", kind="sql")
    dwca("dwca_ok_control.zip", _meta(), expect="ok", kind="archive")
    ev_meta = (f'<archive xmlns="{TXT}"><core fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{DWC}Event">'
               f'<files><location>event.txt</location></files><id index="0"/>'
               f'<field index="1" term="{DWC}eventDate"/></core>'
               f'<extension fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{DWC}Occurrence">'
               f'<files><location>occurrence.txt</location></files><coreid index="0"/>'
               f'<field index="1" term="{DWC}x&quot;) ; COPY (SELECT 1) TO \'{a}\' ; --"/>'
               f'<field index="2" term="{DWC}scientificName"/></extension></archive>')
    dwca("dwca_event_inj.zip", ev_meta, members={"event.txt": "id\teventDate\nE1\t2010-04-09\n",
                                                  "occurrence.txt": "id\tx\tscientificName\nE1\t1\tKurixalus eiffingeri\n"},
         expect="ok", kind="sql")

    # ---- zips ----------------------------------------------------------------------------
    def raw(name: str, data: bytes, kind: str = "archive", expect: str = "refused") -> None:
        (folder / name).write_bytes(data)
        cases.append(Case(name, kind, expect))

    _zip(folder / "zip_absolute_member.zip", {s: "x\n"})
    cases.append(Case("zip_absolute_member.zip", "archive", "refused"))
    _zip(folder / "zip_dotdot_member.zip", {"../../../../../../tmp/" + Path(a).name: "x\n"})
    cases.append(Case("zip_dotdot_member.zip", "archive", "refused"))
    _zip(folder / "zip_symlink_member.zip", {}, symlinks={"data.csv": s})
    cases.append(Case("zip_symlink_member.zip", "archive", "refused"))
    dev = zipfile.ZipInfo("dev.csv")
    dev.create_system = 3
    dev.external_attr = (0o020666 << 16)     # a character device
    with zipfile.ZipFile(folder / "zip_device_member.zip", "w") as z:
        z.writestr(dev, "")
    cases.append(Case("zip_device_member.zip", "archive", "refused"))
    with zipfile.ZipFile(folder / "zip_bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("bomb.csv", "w", force_zip64=True) as f:
            zero = b"\0" * (1 << 20)
            for _ in range(300):
                f.write(zero)
    cases.append(Case("zip_bomb.zip", "archive", "refused"))
    ok = io.BytesIO()
    _zip(ok, {"data.csv": HEAD + "\n" + _rows()})
    good = ok.getvalue()
    bad_crc = bytearray(good)
    # the CRC sits at offset 14 of the local header and 16 of the central directory entry
    bad_crc[14] ^= 0xFF
    cd = good.rfind(b"PK\x01\x02")
    bad_crc[cd + 16] ^= 0xFF
    raw("zip_bad_crc.zip", bytes(bad_crc))
    enc = bytearray(good)
    enc[6] |= 1                               # general-purpose flag: encrypted
    enc[cd + 8] |= 1
    raw("zip_encrypted.zip", bytes(enc))
    raw("zip_truncated.zip", good[: len(good) // 2], expect="refused")
    raw("zip_not_really.zip", b"PK\x03\x04" + b"garbage" * 100)
    _zip(folder / "zip_two_files.zip", {"a.csv": HEAD + "\n", "b.csv": HEAD + "\n"})
    cases.append(Case("zip_two_files.zip", "archive", "refused"))
    _zip(folder / "zip_ok_single.zip", {"data.csv": HEAD + "\n" + _rows()})
    cases.append(Case("zip_ok_single.zip", "archive", "ok"))
    lie = bytearray(good)
    # declare 10 bytes uncompressed in both headers: the real member is larger
    struct.pack_into("<I", lie, 22, 10)
    struct.pack_into("<I", lie, cd + 24, 10)
    raw("zip_size_lie.zip", bytes(lie))

    # ---- XLSX ----------------------------------------------------------------------------
    rows = [HEAD.split(",")] + [ROW.split(",")] * 5
    _xlsx(folder / "xlsx_ok.xlsx", rows)
    cases.append(Case("xlsx_ok.xlsx", "xlsx", "ok"))
    _xlsx(folder / "xlsx_formulas.xlsx", [HEAD.split(",") + ["note"]] + [ROW.split(",") + [v] for v in
                                           ["=1+1", "@SUM(A1)", "+cmd", "-x"]])
    cases.append(Case("xlsx_formulas.xlsx", "formula", "ok"))
    _xlsx(folder / "xlsx_inj_header.xlsx", [[inj_read, inj_copy, "source_row"] + HEAD.split(",")] +
          [["1", "2", "3"] + ROW.split(",")] * 3)
    cases.append(Case("xlsx_inj_header.xlsx", "sql", "ok"))
    _xlsx(folder / "xlsx_extra_cells.xlsx", [HEAD.split(",")] + [ROW.split(",") + ["x", "y"]] * 3)
    cases.append(Case("xlsx_extra_cells.xlsx", "xlsx", "ok"))
    _xlsx(folder / "xlsx_empty.xlsx", [])
    cases.append(Case("xlsx_empty.xlsx", "xlsx", "refused"))
    xxe = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{s}">]>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>').encode()
    _xlsx(folder / "xlsx_xxe.xlsx", rows, patch={"xl/worksheets/sheet1.xml": xxe})
    cases.append(Case("xlsx_xxe.xlsx", "xml", "refused"))
    laughs = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)) + ']>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>').encode()
    _xlsx(folder / "xlsx_billion_laughs.xlsx", rows, patch={"xl/worksheets/sheet1.xml": laughs})
    cases.append(Case("xlsx_billion_laughs.xlsx", "xml", "refused"))
    _xlsx(folder / "xlsx_broken_sheet.xlsx", rows, patch={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})
    cases.append(Case("xlsx_broken_sheet.xlsx", "xlsx", "refused"))
    _xlsx(folder / "xlsx_bomb.xlsx", rows, patch={"xl/worksheets/sheet1.xml": b" " * (300 << 20)})
    cases.append(Case("xlsx_bomb.xlsx", "archive", "refused"))
    return cases


if __name__ == "__main__":
    import sys
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_out")
    sec = out / "secret.txt"
    out.mkdir(parents=True, exist_ok=True)
    sec.write_text("TOKEN-not-a-real-secret\n")
    for c in write_all(out / "files", sec, out / "attack_written"):
        print(c.kind, c.expect, c.name)
