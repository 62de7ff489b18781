"""Readers on slices of the real files in ../shared/data (copied into tests/fixtures)."""
import csv
import zipfile

import duckdb
import pandas as pd
import pytest

from dq.sources import SourceError, stage
from dq.sources.aliases import map_headers, srs_implied_by_headers

from conftest import FIX


def rows(st):
    return duckdb.sql(f"SELECT * FROM read_parquet('{st.staged}') ORDER BY source_row").df()


def test_utf8_bom_csv(tmp_path):
    st = stage(FIX / "frog_head.csv", tmp_path)
    assert st.encoding == "utf-8-sig" and st.delimiter == ","
    assert st.columns[0] == "WGS84Lati"
    assert st.rows_staged == 299 and st.rows_rejected == 0
    m = map_headers(st.columns)
    assert m["WGS84Lati"] == "decimalLatitude" and m["數量(隻)"] == "organismQuantity"
    assert srs_implied_by_headers(m) == "WGS84"


def test_big5_crlf_gives_the_same_rows(tmp_path):
    a = rows(stage(FIX / "frog_head.csv", tmp_path))
    st = stage(FIX / "frog_head_big5.csv", tmp_path)
    assert st.encoding == "cp950"
    b = rows(st)
    assert a.equals(b)


def test_characters_lost_to_a_big5_save_are_said_once_for_the_file(tmp_path):
    """The 2023 Taiwan bird list's real names (../shared/data), saved as Excel saves a zh-TW "CSV": CP950, a
    character it cannot hold written '?' (東方環頸鴴 → 東方環頸?). The names then read as wrong names, with
    nothing about the file; now a reader's note counts the cells. The same rows in UTF-8 have no note."""
    from dq.i18n import note_text
    from dq.paths import SHARED_DATA
    birds = pd.read_csv(SHARED_DATA / "checklists" / "taiwan_bird_list_2023.csv", dtype=str, usecols=["中文名", "學名"]).head(400)
    lost = sum(1 for v in birds["中文名"] if v.encode("cp950", errors="replace").decode("cp950") != v)
    assert lost > 0
    big5 = tmp_path / "birds_cp950.csv"
    big5.write_bytes(birds.to_csv(index=False, lineterminator="\r\n").encode("cp950", errors="replace"))
    st = stage(big5, tmp_path)
    assert st.encoding == "cp950"
    note = [n for n in st.notes if "cannot hold" in n]
    assert note == [f"{lost:,} cells have '?' beside Chinese characters: most likely characters Big5 (CP950) cannot hold, "
                    "lost when the file was saved; save it as UTF-8 (CSV UTF-8) and send it again"], st.notes
    assert note_text(note[0], "zh").startswith(f"{lost:,} 格在中文字旁有「?」")
    utf8 = tmp_path / "birds_utf8.csv"
    birds.to_csv(utf8, index=False)
    assert not [n for n in stage(utf8, tmp_path).notes if "cannot hold" in n]


def test_pipe_delimited_without_header(tmp_path):
    st = stage(FIX / "twnamelist_head.csv", tmp_path)
    assert st.delimiter == "|" and st.header is False
    df = rows(st)
    assert len(df) == 200 and df.loc[0, "scientificName"] == "Asplenium adiantum-nigrum"
    assert df.loc[0, "vernacularName"] == "深山鐵角蕨"


def test_values_full_of_line_breaks_do_not_mislead_the_delimiter(tmp_path):
    """CONSTRUCTED TEST ROWS: the 斑腿樹蛙 file's first rows, every cell quoted, remarks holding bare
    CRs, line breaks and tabs (as notes typed in Excel do). DuckDB's sniffer alone picked the tab
    and read each line as one cell; the header decides."""
    src = [r.rstrip("\r\n").split(",") for r in (FIX / "frog_head.csv").read_text(encoding="utf-8-sig").splitlines()[:40]]
    p = tmp_path / "constructed_multiline_notes.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL)
        w.writerow(src[0] + ["occurrenceRemarks"])
        for i, r in enumerate(src[1:]):
            w.writerow(r + [f"CONSTRUCTED TEST ROW\r第{i}列\n\t備註\r\n\t續\n" * 3])
    st = stage(p, tmp_path)
    assert st.delimiter == "," and st.rows_staged == 39 and st.rows_rejected == 0
    assert rows(st)["occurrenceRemarks"].str.contains("備註").all()


def test_cr_line_endings_with_bom(tmp_path):
    st = stage(FIX / "taicol_amphibia_20220605.csv", tmp_path)
    df = rows(st)
    assert "Buergeria choui" in set(df["name"])
    # the file ends with a white-space line: rejected with a reason, not silently lost
    assert st.rows_read == st.rows_staged + st.rows_rejected


def test_ragged_rows_are_kept_with_their_shape_not_rejected(tmp_path):
    # frog_head_damaged.csv: row 10 ends after 4 of 7 cells, row 20 has 2 cells too many (#10 item 1)
    st = stage(FIX / "frog_head_damaged.csv", tmp_path)
    assert st.rows_rejected == 0 and st.rows_staged == 299
    good = rows(st).set_index("source_row")
    assert good.loc[10, "row_cells"] == 4 and pd.isna(good.loc[10, "Date"])
    assert good.loc[20, "row_cells"] == 9 and good.loc[20, "overflow_cells"] == "extra,fields"
    assert good.loc[20, "記錄方式"] == "目視"
    assert good["row_cells"].notna().sum() == 2    # every other row has the header's shape
    orig = rows(stage(FIX / "frog_head.csv", tmp_path)).set_index("source_row")
    assert good.loc[21, orig.columns].equals(orig.loc[21])   # numbering survives the odd rows


def test_row_shape_checks(tmp_path):
    """CONSTRUCTED rows: the first data row of frog_head.csv, cut short, widened, and as it is."""
    from dq.validate import validate
    head = (FIX / "frog_head.csv").read_text(encoding="utf-8-sig").splitlines()
    row = head[1]
    (tmp_path / "ragged.csv").write_text("\n".join([head[0], row, ",".join(row.split(",")[:3]), row + ",x,y", row]) + "\n",
                                         encoding="utf-8")
    validate(tmp_path / "ragged.csv", tmp_path / "out", "2026-11-22")
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    warn = dict(zip(ann["dq_row"], ann["dq_warnings"]))
    assert [r for r in warn if "ROW_CELLS_MISSING" in warn[r]] == ["2"]
    assert [r for r in warn if "ROW_CELLS_EXTRA" in warn[r]] == ["3"]
    assert ann.loc[ann["dq_row"] == "3", "overflow_cells"].item() == "x,y"


def test_repeated_header_and_totals_rows_are_kept_and_named(tmp_path):
    """CONSTRUCTED rows: the frog file's header, two real rows, the header again (two exports pasted into one
    file) and a totals line (合計 in the first cell). They were judged as records with a missing name and date;
    now they are still in the snapshot (read = ingested), each named for what it is with its fix; a row with
    "Total" beyond its first three cells is no totals row."""
    from dq.validate import validate
    head = (FIX / "frog_head.csv").read_text(encoding="utf-8-sig").splitlines()
    n = len(head[0].split(","))
    total = ",".join(["合計"] + [""] * (n - 1))
    late = head[3].split(",")
    late[4] = "Total"
    text = "\n".join([head[0], head[1], head[0], head[2], total, ",".join(late)]) + "\n"
    (tmp_path / "pasted.csv").write_text(text, encoding="utf-8")
    s = validate(tmp_path / "pasted.csv", tmp_path / "out", "2026-11-22")
    assert s["rows_read"] == s["rows_checked"] == 5
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    err = dict(zip(ann["dq_row"], ann["dq_errors"]))
    assert [r for r in err if "ROW_REPEATED_HEADER" in err[r]] == ["2"]
    assert [r for r in err if "ROW_TOTALS" in err[r]] == ["4"]
    sug = dict(zip(ann["dq_row"], ann["dq_suggestions_en"]))
    assert "Delete this row (a repeated header)" in sug["2"] and "Delete the totals row" in sug["4"]


def test_unreadable_rows_are_rejected_alone_with_reason(tmp_path):
    p = tmp_path / "quote.csv"
    p.write_text('a,b,c\n1,2,3\n"x,y\n4,5,6\n7,"8\n8",9\n', encoding="utf-8")
    st = stage(p, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (3, 1)
    rej = duckdb.sql(f"SELECT * FROM read_parquet('{st.rejects}')").df()
    assert rej.loc[0, "source_row"] == 2 and "unterminated" in rej.loc[0, "reason"]
    df = rows(st)
    assert df["source_row"].tolist() == [1, 3, 4] and df["b"].tolist() == ["2", "5", "8\n8"]


def test_unclosed_quote_after_a_quoted_line_break_loses_only_its_line(tmp_path):
    """The real amphibian survey (../shared/data) with two CONSTRUCTED edits: a locality holding a line
    break (so the file is read serially, as notes typed in Excel are) and, mid-file, a copy of a real
    row whose quote never closes. The serial reader swallowed every row after that quote and the whole
    file was refused; now that one line is rejected with its reason and every other row is kept."""
    from dq.paths import SHARED_DATA
    src = SHARED_DATA / "occurrence" / "amphibian_survey_2008_2016.csv"
    if not src.exists():
        pytest.skip("needs ../shared/data")
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    assert df.loc[10, "地點"] == "193縣道24.5K"
    df.loc[10, "地點"] = "193縣道\n24.5K"      # (this file, so broken, sends DuckDB to its serial reader: the path that lost the rows)
    lines = df.to_csv(index=False).split("\n")
    stray = lines[5001].split(",")
    stray[2] = '"' + stray[2]
    p = tmp_path / "stray.csv"
    p.write_text("\n".join(lines[:5002] + [",".join(stray)] + lines[5002:]), encoding="utf-8")
    st = stage(p, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (len(df), 1)
    rej = duckdb.sql(f"SELECT * FROM read_parquet('{st.rejects}')").df()
    assert rej["source_row"].tolist() == [5001] and "unterminated" in rej.loc[0, "reason"]
    got = rows(st)
    assert got["source_row"].tolist() == [r for r in range(1, len(df) + 2) if r != 5001]
    assert got["蛙種"].tolist() == df["蛙種"].tolist() and got.loc[10, "地點"] == "193縣道\n24.5K"


def test_a_title_wider_than_the_header_or_a_broken_header_loses_no_row(tmp_path):
    """CONSTRUCTED TEST ROWS (a review's findings): a title line with more cells than the header is not
    taken as a title (its row would shift the count and drop data row 1); an unclosed quote in the header
    itself refuses the file with its reason, as before."""
    p = tmp_path / "wide.csv"
    p.write_text("My survey 2018,,,,,,,,by X\nA,B,C,D,E\n1,2,3,4,5\n6,7,8,9,10\n", encoding="utf-8")
    st = stage(p, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (3, 0)
    assert rows(st).iloc[:, 0].tolist() == ["A", "1", "6"]
    q = tmp_path / "badhead.csv"
    q.write_text('sp,"note,n\n' + "".join(f"S{i},ok,{i}\n" for i in range(1, 60)), encoding="utf-8")
    with pytest.raises(SourceError):
        stage(q, tmp_path)
    # a quote opened on the first line (a title) that never closes: the message says so, not "blank or cannot be read"
    t = tmp_path / "badtitle.csv"
    t.write_text('"2020 調查,\n外來種調查紀錄表\nscientificName,eventDate\nRana latouchii,2020-01-02\n', encoding="utf-8")
    with pytest.raises(SourceError, match="first line opens a quote") as e:
        stage(t, tmp_path)
    assert "引號" in e.value.zh


def test_unclosed_quote_is_found_as_the_csv_reader_reads_quotes(tmp_path):
    """CONSTRUCTED TEST ROWS: "" inside a quoted value is one quote, a quote inside an unquoted cell is
    text, a quoted value may span lines (its line breaks are no new record)."""
    from dq.sources.text import _unclosed_quote
    p = tmp_path / "q.csv"
    p.write_text('a,b\n1,"say ""hi"""\n2,5" tall\n3,"two\nlines"\n4,"open\n5,6\n', encoding="utf-8")
    rec, pos = _unclosed_quote(p, ",")
    assert rec == 5 and p.read_bytes()[pos:pos + 5] == b'"open'
    p.write_text('a,b\n1,"say ""hi"""\n2,5" tall\n', encoding="utf-8")
    assert _unclosed_quote(p, ",") is None


def test_xlsx(tmp_path):
    import openpyxl
    df = pd.read_csv(FIX / "frog_head.csv", dtype=str, encoding="utf-8-sig").head(50)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for r in df.itertuples(index=False):
        ws.append(list(r))
    wb.save(tmp_path / "frog.xlsx")
    st = stage(tmp_path / "frog.xlsx", tmp_path)
    assert st.format == "xlsx" and st.rows_staged == 50
    assert rows(st)["WGS84Long"].tolist() == df["WGS84Long"].tolist()


def test_title_rows_above_the_header_are_titles_not_the_header(tmp_path):
    """frog_head.csv's real rows under a CONSTRUCTED title line, as CSV and as a workbook whose title is a
    merged cell with a date line and a blank row under it: the header is found below the title, the rows
    keep their numbers (a workbook's data row k is the sheet's row header + k, blank rows counted), and
    the report says how the file was read."""
    import openpyxl
    from dq.sources.base import header_at
    text = (FIX / "frog_head.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    hdr = lines[0].split(",")
    title = "斑腿樹蛙調查資料（測試用標題）"
    (tmp_path / "t.csv").write_text(title + "," * (len(hdr) - 1) + "\n" + text, encoding="utf-8")
    st = stage(tmp_path / "t.csv", tmp_path)
    assert st.columns == hdr and st.rows_staged == len(lines) - 1 and st.rows_rejected == 0
    assert rows(st)["source_row"].tolist()[:3] == [1, 2, 3]
    assert any(n.startswith("header on row 2;") and title in n for n in st.notes)

    df = pd.read_csv(FIX / "frog_head.csv", dtype=str, encoding="utf-8-sig").head(20)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(hdr))
    ws.append(["製表日期 2026-12-05"])
    ws.append(list(df.columns))
    for i, r in enumerate(df.itertuples(index=False)):
        ws.append(list(r))
        if i == 4:
            ws.append([])
    wb.save(tmp_path / "t.xlsx")
    st = stage(tmp_path / "t.xlsx", tmp_path)
    # the blank row between records is staged empty (the build sends it to the ledger as an empty row)
    assert st.columns == list(df.columns) and st.rows_staged == 21
    got = rows(st)
    assert got["source_row"].tolist() == list(range(1, 22)) and got.loc[got["source_row"] == 6].iloc[0].iloc[:-1].isna().all()
    assert got[got["source_row"] != 6]["WGS84Long"].tolist() == df["WGS84Long"].tolist()
    assert any(n.startswith("header on row 3;") for n in st.notes)
    # a one- or two-column table keeps its first row; a row of three filled cells is a header
    def r(n, known=False):      # a row of n filled cells, the first a known header when asked
        return (["學名"] if known else ["標題"]) + ["值"] * (n - 1) + [None] * 3
    assert header_at([r(1), r(1), r(1)]) == 0 and header_at([r(2), r(2)]) == 0 and header_at([r(1), r(2)]) == 0
    assert header_at([r(1), r(7), r(7)]) == 1 and header_at([r(3), r(7), r(7)]) == 0
    # a header of two cells the tool knows (學名 | 中文名) above a row of notes is the header, not a title
    assert header_at([r(2, known=True), r(7), r(2)]) == 0 and header_at([r(1), r(2, known=True), r(7)]) == 1


def _bbs_text(tmp_path):
    ev = duckdb.sql(f"SELECT * FROM read_parquet('{FIX / 'bbs_event_slice.parquet'}')").df()
    oc = duckdb.sql(f"SELECT * FROM read_parquet('{FIX / 'bbs_occurrence_slice.parquet'}')").df()
    ev.to_csv(tmp_path / "event.txt", sep="\t", index=False)
    oc.to_csv(tmp_path / "occurrence.txt", sep="\t", index=False)
    return ev, oc


def test_darwin_core_archive_event_core_with_occurrences(tmp_path):
    ev, oc = _bbs_text(tmp_path)
    dwc = "http://rs.tdwg.org/dwc/terms/"

    def fields(cols, skip):
        return "".join(f'<field index="{i}" term="{dwc}{c}"/>' for i, c in enumerate(cols) if c != skip)
    meta = f"""<archive xmlns="http://rs.tdwg.org/dwc/text/">
      <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" ignoreHeaderLines="1" rowType="{dwc}Event">
        <files><location>event.txt</location></files><id index="1"/>{fields(ev.columns, 'id')}</core>
      <extension encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" ignoreHeaderLines="1" rowType="{dwc}Occurrence">
        <files><location>occurrence.txt</location></files><coreid index="6"/>{fields(oc.columns, 'id')}</extension></archive>"""
    with zipfile.ZipFile(tmp_path / "bbs.zip", "w") as z:
        z.writestr("meta.xml", meta)
        z.write(tmp_path / "event.txt", "event.txt")
        z.write(tmp_path / "occurrence.txt", "occurrence.txt")
    st = stage(tmp_path / "bbs.zip", tmp_path)
    assert st.format == "dwca" and st.rows_staged == len(oc)
    df = rows(st)
    assert {"decimalLatitude", "eventDate", "scientificName"} <= set(df.columns)
    assert df["decimalLatitude"].notna().sum() > 0


def test_darwin_core_archive_counts_belong_to_the_archive(tmp_path):
    """The manifest's per-source counts name the archive, not its occurrence.txt (#15 item 7)."""
    import json

    from dq.snapshot import SourceSpec, ingest
    ev, oc = _bbs_text(tmp_path)
    dwc = "http://rs.tdwg.org/dwc/terms/"
    fields = "".join(f'<field index="{i}" term="{dwc}{c}"/>' for i, c in enumerate(oc.columns) if c != "id")
    meta = f"""<archive xmlns="http://rs.tdwg.org/dwc/text/"><core fieldsTerminatedBy="\\t" ignoreHeaderLines="1"
        rowType="{dwc}Occurrence"><files><location>occurrence.txt</location></files><id index="0"/>{fields}</core></archive>"""
    with zipfile.ZipFile(tmp_path / "occ.zip", "w") as z:
        z.writestr("meta.xml", meta)
        z.write(tmp_path / "occurrence.txt", "occurrence.txt")
    snap = ingest([SourceSpec(tmp_path / "occ.zip")], "2026-01-01", tmp_path / "snaps", progress=lambda m: None)
    src = json.loads((snap / "manifest.json").read_text())["sources"][0]
    assert src["name"] == "occ.zip" and src["rows_ingested"] == len(oc) and src["rows_read"] == len(oc)
    from dq import store
    files = duckdb.sql(f"SELECT DISTINCT source_file FROM {store.records_sql(snap)}").fetchall()
    assert files == [("occ.zip",)]
    # a core read alone is numbered as read (#14): its 7th record is the file's 7th row
    assert src["canonical"]["cast"] == {"skip": 1}
    rec, _ = store.record(snap, 10000000000 + 7)
    assert rec["occurrenceID"] == oc["occurrenceID"].iloc[6]


def test_gbif_parquet_lower_case_and_arrays(tmp_path):
    src = FIX / "bbs_occurrence_slice.parquet"
    duckdb.sql(f"""COPY (SELECT row_number() OVER () AS gbifid, lower('x') AS x, scientificName AS scientificname,
        occurrenceID AS occurrenceid, ['COORDINATE_ROUNDED', 'RECORDED_DATE_INVALID'] AS issue
        FROM read_parquet('{src}')) TO '{tmp_path / 'gbif.parquet'}'""")
    st = stage(tmp_path / "gbif.parquet", tmp_path)
    assert st.format == "gbif-parquet"
    df = rows(st)
    assert df.loc[0, "issue"] == "COORDINATE_ROUNDED;RECORDED_DATE_INVALID"
    m = map_headers(st.columns)
    assert m["scientificname"] == "scientificName" and m["occurrenceid"] == "occurrenceID"


def test_parquet_numbers_read_as_a_person_writes_them(tmp_path):
    """CONSTRUCTED TEST ROWS: a typed Parquet's DOUBLE columns (GBIF's coordinateprecision,
    coordinateuncertaintyinmeters) reached the fix lists as DuckDB writes them, "2.0" and "1e-05"."""
    duckdb.sql(f"""COPY (SELECT * FROM (VALUES ('Passer montanus', 2.0::DOUBLE, 1e-05::DOUBLE, 24.123456::DOUBLE, 30::DOUBLE),
        ('Passer montanus', 1.5, 0.00012, -0.0, 1e16), ('Passer montanus', NULL, 0.25, 121.0, 3.5::FLOAT))
        t(scientificName, individualCount, coordinatePrecision, decimalLatitude, coordinateUncertaintyInMeters))
        TO '{tmp_path / 'typed.parquet'}'""")
    st = stage(tmp_path / "typed.parquet", tmp_path)
    df = rows(st)
    assert df["individualCount"].tolist()[:2] == ["2", "1.5"] and df["individualCount"].isna().tolist()[2]
    assert df["coordinatePrecision"].tolist() == ["0.00001", "0.00012", "0.25"]
    assert df["decimalLatitude"].tolist() == ["24.123456", "0", "121"]
    assert df["coordinateUncertaintyInMeters"].tolist() == ["30", "1e+16", "3.5"]


def test_parquet_with_its_own_file_row_number_column(tmp_path):
    """DuckDB refuses its file_row_number beside a column of that name: such a file is staged with
    its rows numbered in file order (CONSTRUCTED rows, 20 row groups), never kept, never refused."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    n = 200_000
    pq.write_table(pa.table({"file_row_number": [str(i) for i in range(n)], "scientificName": ["Passer montanus"] * n}),
                   tmp_path / "numbered.parquet", row_group_size=10_000)
    for keep in (False, True):
        st = stage(tmp_path / "numbered.parquet", tmp_path, keep_parquet=keep)
        assert st.cast is None and st.columns == ["file_row_number", "scientificName"]
        got = duckdb.sql(f"SELECT count(*), count(*) FILTER (WHERE file_row_number::INT + 1 <> source_row) FROM {st.relation}").fetchone()
        assert got == (n, 0)


def test_header_aliases_know_taiwanese_variants():
    m = map_headers(["學名", "中文名", "經度", "緯度", "X坐標", "Y坐標", "TWD97X", "調查日期", "數量", "地點", "備註欄X"])
    assert m["學名"] == "scientificName" and m["中文名"] == "vernacularName"
    assert m["經度"] == "decimalLongitude" and m["X坐標"] == "verbatimLongitude"
    assert m["調查日期"] == "eventDate" and m["地點"] == "verbatimLocality"
    assert "備註欄X" not in m    # unknown columns stay unmapped (kept as extra)
    assert srs_implied_by_headers(map_headers(["TWD97X", "TWD97Y"])) == "TWD97"


@pytest.mark.parametrize("content,msg", [(b"", "empty"), (b"PK\x03\x04garbage", "zip")])
def test_unreadable_input_gives_a_clear_error(tmp_path, content, msg):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(SourceError, match=msg):
        stage(p, tmp_path)


def test_encoding_is_judged_by_charset_normalizer_and_a_guess_is_noted(tmp_path):
    """CONSTRUCTED Latin-1 text (French names): read as a Western code page, not CP950 mojibake."""
    p = tmp_path / "latin1.csv"
    p.write_bytes(("scientificName,vernacularName\n" + "Kurixalus eiffingeri,Grenouille de l'Île à Genève\n" * 40).encode("latin-1"))
    st = stage(p, tmp_path)
    assert st.encoding not in ("cp950", "big5", "utf-8")
    assert rows(st)["vernacularName"].iloc[0] == "Grenouille de l'Île à Genève"
    assert any("guessed" in n for n in st.notes)
    assert stage(FIX / "frog_head_big5.csv", tmp_path).notes == []      # Big5 is known, not a guess


def test_a_field_longer_than_pythons_csv_limit_is_read(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text("scientificName,note\nKurixalus eiffingeri," + "x" * 200_000 + "\nKurixalus eiffingeri,ok\n", encoding="utf-8")
    st = stage(p, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (2, 0) and len(rows(st)["note"].iloc[0]) == 200_000


def test_header_names_never_reach_sql_unquoted(tmp_path):
    """A header that closes the identifier and appends SQL is just a column name."""
    evil = 'a" FROM t); COPY (SELECT 42) TO \'' + str(tmp_path / "pwned") + '\'; SELECT ("x'
    p = tmp_path / "evil.csv"
    p.write_text('"' + evil.replace('"', '""') + '",source_row,A,a\n1,2,3,4\n', encoding="utf-8")
    st = stage(p, tmp_path)
    assert st.columns == [evil, "file_source_row", "A", "a_2"]
    df = rows(st)
    assert df[evil].tolist() == ["1"] and df["file_source_row"].tolist() == ["2"] and df["source_row"].tolist() == [1]
    assert not (tmp_path / "pwned").exists()


def test_rows_keep_their_line_numbers_through_the_parallel_reader(tmp_path, multithreaded):
    """CONSTRUCTED FILE: 1.5 M rows whose first cell is their own row number, read by DuckDB's parallel
    reader in several buffers. A CSV is staged in the reading pass itself, numbered by its order
    (row_number() OVER ()): every row's source_row must be its row in the file, with and without a
    header, and when lines are missing (blank, too many cells) the rows after them still are."""
    p = tmp_path / "constructed_numbered.csv"
    duckdb.sql(f"""COPY (SELECT i AS n, 'x' || (i % 977) AS a, repeat('y', (i % 50)::INT) AS b FROM range(1, 1500001) t(i))
                   TO '{p}' (HEADER)""")
    st = stage(p, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (1_500_000, 0)
    assert duckdb.sql(f"SELECT count(*) FILTER (WHERE n::BIGINT <> source_row), min(source_row), max(source_row) "
                      f"FROM read_parquet('{st.staged}')").fetchone() == (0, 1, 1_500_000)
    lines = p.read_text(encoding="utf-8").splitlines()
    q = tmp_path / "constructed_numbered_gaps.csv"
    # no header; a white-space line after row 1,000 (staged: the snapshot sends it to the ledger); row
    # 200,000 with more cells beyond the header than are kept (rejected); row 300,000 with 2 extra (kept)
    body = lines[1:]
    body[299_999] += ",e1,e2"
    body[199_999] += ",x" * 1100
    q.write_text("\n".join(body[:1000] + ["   "] + body[1000:]) + "\n", encoding="utf-8")
    st = stage(q, tmp_path, header=False)
    assert (st.rows_staged, st.rows_rejected) == (1_500_000, 1)
    got = duckdb.sql(f"""SELECT count(*) FILTER (WHERE try_cast(column_1 AS BIGINT) + (try_cast(column_1 AS BIGINT) > 1000)::INT <> source_row),
                         count(*) FILTER (WHERE try_cast(column_1 AS BIGINT) IS NULL AND source_row = 1001),
                         max(overflow_cells) FILTER (WHERE source_row = 300_001) FROM read_parquet('{st.staged}')""").fetchone()
    assert got == (0, 1, "e1,e2")
    assert duckdb.sql(f"SELECT source_row FROM read_parquet('{st.rejects}')").fetchall() == [(200_001,)]


def test_a_parquet_bomb_is_refused_and_an_upload_is_capped(tmp_path, monkeypatch):
    """A CONSTRUCTED Parquet file of 30M equal cells in ~50 KB (a 100 MB upload of such would be
    billions of cells, each staged as text) is refused before staging, like a zip bomb; a real file
    (BBS Taiwan events, ~1 cell per byte) is read; the validate page's child caps the cells an
    upload may hold (DQ_MAX_PARQUET_CELLS), naming the command line instead."""
    from dq.paths import SHARED_DATA
    from dq.sources.parquet import stage_parquet
    bomb = tmp_path / "constructed_bomb.parquet"
    duckdb.sql(f"COPY (SELECT 'x' AS a FROM range(30000000)) TO '{bomb}' (FORMAT parquet)")
    with pytest.raises(SourceError, match="decompression bomb"):
        stage_parquet(bomb, tmp_path)
    assert not list(tmp_path.glob("*.staged.parquet"))
    real = SHARED_DATA / "occurrence" / "bbs_event.parquet"
    part = tmp_path / "bbs_events_sample.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{real}') LIMIT 5000) TO '{part}' (FORMAT parquet)")
    assert stage_parquet(part, tmp_path).rows_staged == 5000
    monkeypatch.setenv("DQ_MAX_PARQUET_CELLS", "10000")
    with pytest.raises(SourceError, match="python -m dq validate"):
        stage_parquet(part, tmp_path)


def test_reading_notes_are_said_in_zh_tw(tmp_path):
    """CONSTRUCTED TEST ROWS: a repeated header, a header the tool uses itself, a short and a long row.
    What the reader notes (English in the manifest) is shown on the zh-TW page in zh-TW, every kind."""
    from dq.i18n import note_text
    from dq.validate import validate
    p = tmp_path / "constructed_notes.csv"
    p.write_text("scientificName,scientificName,source_row,remarks\nRana sauteri,x,1,CONSTRUCTED TEST ROW\n"
                 "Rana sauteri,x\nRana sauteri,x,1,CONSTRUCTED TEST ROW,extra\n", encoding="utf-8")
    notes = validate(p, tmp_path / "out", "2026-01-01")["notes"]
    assert len(notes) >= 4, notes
    for n in notes:
        zh = note_text(n, "zh")
        assert zh != n and any("\u4e00" <= c <= "\u9fff" for c in zh), n
        assert note_text(n, "en") == n


def test_a_blank_first_line_of_empty_cells_is_skipped(tmp_path):
    """CONSTRUCTED file: a sheet's blank top row saved as CSV (",,,,,,") above the header. The file was refused as
    holding no rows; now the header is found on row 2, the blank row is said to be skipped, every data row is read."""
    from dq.i18n import note_text
    p = tmp_path / "blank_top.csv"
    p.write_text(",,,,,,\n蛙種,年,月,日,數量,經度,緯度\n小雨蛙,2019,4,12,3,121.594868,23.911414\n澤蛙,2019,4,12,2,121.594868,23.911414\n",
                 encoding="utf-8")
    st = stage(p, tmp_path)
    assert st.columns[:2] == ["蛙種", "年"] and (st.rows_staged, st.rows_rejected) == (2, 0)
    assert st.notes == ["header on row 2; the blank row(s) above it are skipped"]
    assert note_text(st.notes[0]) == "欄名在第 2 列；上方的空白列略過"


def test_empty_lines_are_blank_rows_and_later_rows_keep_their_line(tmp_path):
    """CONSTRUCTED TEST ROWS: DuckDB's reader skips an empty line without a word, so every row after one
    was numbered a line short of the row a spreadsheet shows, and of the lines it reported rejected (an
    agency's fix list named the wrong rows). Empty lines are now blank rows in the ledger (nothing lost);
    empty lines above the header are no rows at all."""
    p = tmp_path / "gaps.csv"
    p.write_bytes(b"\r\n\r\nsp,n\r\nRana latouchii,1\r\n\r\nHyla chinensis,2\r\n\"Bufo,3\r\n\r\nMicrohyla fissipes,4\r\n\r\n\r\n")
    st = stage(p, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (3, 3)     # the two empty lines at the end number no row: left out
    assert rows(st)[["source_row", "sp"]].values.tolist() == [[1, "Rana latouchii"], [3, "Hyla chinensis"], [6, "Microhyla fissipes"]]
    rej = duckdb.sql(f"SELECT source_row, reason FROM read_parquet('{st.rejects}') ORDER BY 1").fetchall()
    assert [r[0] for r in rej] == [2, 4, 5]
    assert rej[0][1].startswith("blank line") and "unterminated" in rej[1][1] and rej[2][1].startswith("blank line")
    # a value holding an empty line spans lines: rows are not lines there, and are numbered as rows
    q = tmp_path / "multi.csv"
    q.write_text('sp,note\nRana latouchii,"by the\n\nstream"\nHyla chinensis,x\n', encoding="utf-8")
    st = stage(q, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (2, 0)
    assert rows(st)["source_row"].tolist() == [1, 2] and rows(st)["note"][0] == "by the\n\nstream"


def test_empty_lines_found_across_chunk_edges(tmp_path):
    from dq.sources.text import _empty_lines
    p = tmp_path / "e.txt"
    p.write_bytes(b"\na\n\r\n\nb\nc")
    for chunk in (1, 2, 3, 1 << 20):
        assert _empty_lines(p, chunk) == ([1, 3, 4], 6)
    p.write_bytes(b"a\nb\n")
    assert _empty_lines(p) == ([], 2)


def test_many_empty_lines_and_doubled_line_ends(tmp_path):
    """CONSTRUCTED rows (a review's findings): a double-spaced export's empty lines were inserted one by one
    (~6 min per million); CR CR LF (a CRLF file converted again) is one line end, not an empty line after each
    row; a headerless file's leading empty lines number no row."""
    p = tmp_path / "double.csv"
    p.write_bytes(b"sp,n\r\n" + b"".join(b"Passer montanus,%d\r\n\r\n" % i for i in range(1, 20001)))
    st = stage(p, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (20000, 19999)
    assert rows(st)["source_row"].tolist()[:3] == [1, 3, 5]
    q = tmp_path / "crcrlf.csv"
    q.write_bytes(b"sp,n\r\r\n" + b"".join(b"Passer montanus,%d\r\r\n" % i for i in range(1, 101)))
    st = stage(q, tmp_path)
    assert (st.rows_staged, st.rows_rejected) == (100, 0) and rows(st)["source_row"].tolist()[:3] == [1, 2, 3]
    h = tmp_path / "headerless.txt"
    h.write_text("\n\nPasser montanus|1|2\n\nPasser montanus|3|4\n", encoding="utf-8")
    st = stage(h, tmp_path, header=False)
    assert rows(st)["source_row"].tolist() == [1, 3]


def test_the_title_note_names_the_header_row_a_spreadsheet_shows(tmp_path):
    """CONSTRUCTED file (a review's finding): a title, an empty line, then the header, which a spreadsheet shows
    on row 3; the note said row 2."""
    p = tmp_path / "titled.csv"
    p.write_text("Frog survey 2008,,\n\nsp,n,y\nRana latouchii,1,2008\n", encoding="utf-8")
    st = stage(p, tmp_path)
    assert st.notes[0].startswith("header on row 3;") and rows(st)["source_row"].tolist() == [1]


@pytest.mark.parametrize("top,head_row", [
    ('x,"y"z,w\nFrog survey 2008,,\n', 3),          # an unreadable line above a title
    ('x,"y"z,w\n', 2),                               # directly above the header
    ('x,"y"z,w\n\nFrog survey 2008,,\n', 4),       # an empty line between it and the title
])
def test_an_unreadable_line_above_the_header_is_said_and_moves_no_row(tmp_path, top, head_row):
    """CONSTRUCTED files (a known quirk): a line DuckDB cannot read above the header (a quote out of place) was
    dropped unsaid, the title note counted the header a row too high and every row's number one too far.
    Now the note names the header's row as a spreadsheet shows it, a reading note quotes the line, and the
    rows keep their numbers (first row 1); in both numbering paths (the snapshot's, numbered as read)."""
    from dq.i18n import note_text
    p = tmp_path / "constructed_unreadable_top.csv"
    p.write_text(top + "sp,n,y\nRana latouchii,1,2008\nBufo bankorensis,2,2009\n", encoding="utf-8")
    for numbered in (False, True):
        st = stage(p, tmp_path, number_on_read=numbered)
        assert rows(st)["source_row"].tolist() == [1, 2] and st.rows_staged == 2 and st.rows_rejected == 0
        said = [n for n in st.notes if n.startswith("line 1, above the header, cannot be read")]
        assert said == ['line 1, above the header, cannot be read (a quote out of place) and is no row: x,"y"z,w']
        assert note_text(said[0]) == '欄名上方的第 1 列無法讀取（引號位置有誤），不是資料列：x,"y"z,w'
        if "Frog" in top:
            assert any(n.startswith(f"header on row {head_row};") for n in st.notes)


def test_empty_lines_beside_values_that_span_lines(tmp_path):
    """CONSTRUCTED files (a review's findings): DuckDB numbers a record holding line breaks as one line and an
    empty line as one, so where values span lines the empty lines are found outside the values, in that
    numbering. Before, a file with both numbered its kept rows and its rejected lines differently (rows 12 and
    14, no 13), and an unclosed quote among them put its line before the row above it."""
    wide = ",".join(["x"] * 1101)
    p = tmp_path / "spans.csv"
    p.write_text("sp,n\nA,\"x\ny\"\n" + "".join(f"R{i},{i}\n" for i in range(1, 11)) + "\n\nW," + wide + "\nC,3\n", encoding="utf-8")
    st = stage(p, tmp_path)
    assert rows(st)["source_row"].tolist() == list(range(1, 12)) + [15]
    rej = duckdb.sql(f"SELECT source_row, reason FROM read_parquet('{st.rejects}') ORDER BY 1").fetchall()
    assert [r[0] for r in rej] == [12, 13, 14] and rej[2][1].startswith("more than")
    q = tmp_path / "spans_unclosed.csv"
    q.write_bytes(b'\n\nsp,n\nA,"x\ny"\n\n"B,2\nC,3\n')
    st = stage(q, tmp_path)
    assert rows(st)[["source_row", "sp"]].values.tolist() == [[1, "A"], [4, "C"]]
    rej = duckdb.sql(f"SELECT source_row, reason FROM read_parquet('{st.rejects}') ORDER BY 1").fetchall()
    assert [r[0] for r in rej] == [2, 3] and rej[0][1].startswith("blank line") and "unterminated" in rej[1][1]


def test_a_darwin_core_term_the_tool_does_not_check_is_not_called_non_standard():
    """BBS Taiwan's event table as a Darwin Core Archive (a reader's run): sampleSizeValue, sampleSizeUnit,
    samplingEffort and eventTime, each named by its TDWG term in meta.xml, were "not a standard term"."""
    from dq.sources.mapping import plan_columns
    rows = {r["header"]: r for r in plan_columns(None, ["eventID", "sampleSizeValue", "sampleSizeUnit", "samplingEffort",
                                                        "eventTime", "調查者備註"]).rows}
    for h in ("sampleSizeValue", "sampleSizeUnit", "samplingEffort"):
        assert rows[h]["term"] is None and rows[h]["note_en"] == "a Darwin Core term this tool does not check, kept as is", rows[h]
    # the time of day is read now (DATE_TIME_INVALID: the same table's 801 visits at NA:NA+0800)
    assert rows["eventTime"]["term"] == "eventTime"
    assert rows["調查者備註"]["note_en"] == "not a standard term, kept as is"


def test_notes_below_the_table_are_kept_and_named(tmp_path):
    """A real TaiCOL plant list (../shared/data) ends, after four blank rows, with 15 rows of name codes typed as an
    SQL list: 15 "scientific name missing" errors on a clean list. CONSTRUCTED rows from the frog file: notes below
    the table after a blank line (a CSV's empty line, in the ledger) and after a row of empty cells; a table that
    goes on after a blank line, and a lone record after one, are no notes."""
    from dq.validate import validate
    head = (FIX / "frog_head.csv").read_text(encoding="utf-8-sig").splitlines()
    n = len(head[0].split(","))
    note = lambda text: ",".join([text] + [""] * (n - 1))      # noqa: E731
    cases = {   # file lines after the header → the rows (dq_row) named ROW_BELOW_TABLE
        "empty_line": (head[1:6] + ["", note("註：本表為志工調查資料"), note("資料來源：台灣兩棲類動物保育協會")], ["7", "8"]),
        "empty_cells": (head[1:6] + [",".join([""] * n), note("註：本表為志工調查資料")], ["7"]),
        "table_goes_on": (head[1:4] + [""] + head[4:8], []),
        "few_rows_above": (head[1:3] + ["", note("註")], []),
        # rows of empty cells after the notes (Excel's CSV), two note blocks, a long gap above the notes (a review)
        "blank_after": (head[1:6] + ["", note("註：本表為志工調查資料"), ",".join([""] * n), ",".join([""] * n)], ["7"]),
        "two_blocks": (head[1:6] + ["", note("註一"), "", note("註二")], ["7", "9"]),
        "long_gap": (head[1:6] + [",".join([""] * n)] * 1200 + [note("註：本表為志工調查資料")], ["1206"]),
    }
    for name, (lines, want) in cases.items():
        (tmp_path / f"{name}.csv").write_text("\n".join([head[0]] + lines) + "\n", encoding="utf-8")
        s = validate(tmp_path / f"{name}.csv", tmp_path / name, "2026-11-22")
        assert s["rows_read"] == s["rows_checked"] + s["rows_rejected"]
        ann = pd.read_csv(tmp_path / name / "annotated.csv", dtype=str, keep_default_na=False)
        got = [r for r, w in zip(ann["dq_row"], ann["dq_warnings"]) if "ROW_BELOW_TABLE" in w]
        assert got == want, (name, got, ann[["dq_row", "dq_warnings"]].to_dict("records"))
        if want:
            sug = dict(zip(ann["dq_row"], ann["dq_suggestions_en"]))
            assert "delete this row below the table" in sug[want[0]]


def test_the_real_plant_lists_scratch_rows_below_it_are_named():
    """The real TaiCOL plant list (Plant-list-TaiCoL-20200722.xlsx): its 15 rows below the table, and no other."""
    import tempfile
    from pathlib import Path
    from dq.paths import SHARED_DATA
    from dq.validate import validate
    src = SHARED_DATA / "checklists" / "Plant-list-TaiCoL-20200722.xlsx"
    if not src.exists():
        pytest.skip("../shared/data is not beside the project")
    with tempfile.TemporaryDirectory() as d:
        s = validate(src, Path(d), "2026-11-22")
        ann = pd.read_csv(Path(d) / "annotated.csv", dtype=str, keep_default_na=False)
        report = (Path(d) / "report_en.html").read_text(encoding="utf-8")
    assert s["checks"]["ROW_BELOW_TABLE"]["count"] == 15 and s["rows_rejected"] == 4
    # the report's to-do: the 15 "name missing" are those rows, to delete (not names to fill in)
    assert s["checks"]["TAXON_NAME_MISSING"]["below_table"] == 15
    assert "15 of them are rows below the table, like notes: if they are no records, delete those rows" in report
    below = ann[ann["dq_warnings"].str.contains("ROW_BELOW_TABLE")]
    assert sorted(below["dq_row"].astype(int)) == list(range(5505, 5520))     # the rows under the header: sheet rows 5506-5520
    # the report shows what those rows hold ('433906', …), not their row numbers alone (a walk), and not the
    # dataset name the tool fills in itself
    section = report[report.index("id='ROW_BELOW_TABLE'"):]
    section = __import__("html").unescape(section[:section.index("</table>")])
    assert "'433906'," in section and "Plant-list-TaiCoL-20200722<" not in section


def test_empty_lines_read_in_blocks_agree_with_the_whole_file(tmp_path):
    """The empty-line scan reads a file a block at a time (no memory map of the whole file): on CONSTRUCTED
    byte strings of line ends, CRs and cells it finds the lines the whole-file search finds, whatever the
    block size."""
    import re
    from hypothesis import given, settings, strategies as hs
    from dq.sources.text import _empty_lines

    def whole(b: bytes) -> tuple[list[int], int]:
        found = [1] if b[:1] == b"\n" or b[:2] == b"\r\n" else []
        found += [b.count(b"\n", 0, m.start() + 1) + 1 for m in re.finditer(rb"\n(?=\r?\n)", b)]
        return found, b.count(b"\n") + (1 if b and b[-1:] != b"\n" else 0)

    p = tmp_path / "e.txt"

    @settings(max_examples=300, deadline=None)
    @given(hs.lists(hs.sampled_from([b"\n", b"\r", b"\r\n", b"a", b"ab,c", b"\n\n"]), max_size=40), hs.integers(1, 7))
    def check(parts, chunk):
        b = b"".join(parts)
        p.write_bytes(b)
        assert _empty_lines(p, chunk) == whole(b)
    check()
