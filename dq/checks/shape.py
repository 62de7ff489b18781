"""Row shape (#10 item 1): rows with fewer or more cells than the header are kept and flagged, and
so are rows that are no record (a repeated header, a totals row, notes below the table: snapshot.row_kind_sql).

The readers pad a short row with empty cells and keep a long row's extra cells in
`overflow_cells`; `row_cells` holds the row's own cell count only when it differs from the
header's, so these predicates read one small integer column.
"""
from __future__ import annotations

from . import ALL_TABLES, Check, Family

CHECKS = [
    Check("ROW_CELLS_MISSING", "completeness", "warning", "此列的欄數少於標題", "Row has fewer cells than the header",
          "這一列在標題的最後幾欄之前就結束了；缺少的欄位以空白讀入（資料未被丟棄）。請確認是否漏填或分隔符號錯位。",
          "This row ends before the header's last columns; the missing cells were read as empty (nothing was dropped). "
          "Check for cells left out or a misplaced delimiter.",
          "e.row_cells IS NOT NULL AND e.overflow_cells IS NULL",
          "'此列只有 ' || e.row_cells || ' 欄；請補齊其餘欄位'", fix_en="'This row has only ' || e.row_cells || ' cells: fill in the rest'"),
    Check("ROW_CELLS_EXTRA", "completeness", "warning", "此列的欄數多於標題", "Row has more cells than the header",
          "這一列的欄位比標題多；多出的內容保留在標註檔的「標題列右側多出的儲存格」欄（annotated.csv 的 overflow_cells；未被丟棄）。"
          "常見原因是值裡含有未加引號的分隔符號。",
          "This row has more cells than the header; the extra cells are kept in the annotated file's column Cells beyond the "
          "header (overflow_cells in annotated.csv; nothing was dropped). A delimiter inside an unquoted value is the usual cause.",
          "e.overflow_cells IS NOT NULL",
          "'此列有 ' || e.row_cells || ' 欄，多出的內容：' || left(e.overflow_cells, 200) || '；值內含分隔符號時請加上引號'", fix_en="'This row has ' || e.row_cells || ' cells, the extra: ' || left(e.overflow_cells, 200) || '; quote values that contain the delimiter'"),
    Check("ROW_REPEATED_HEADER", "completeness", "error", "此列是重複的標題列", "Row repeats the header",
          "這一列的內容就是標題（例如把兩份匯出檔接在一起時留下的第二個標題列），不是一筆紀錄；它仍被讀入並照常檢核，所以也會有其他發現。",
          "This row holds the headings themselves (e.g. the second header left when two exports were pasted into one file), "
          "not a record; it is read and judged like the others, so it has other findings too.",
          "e.row_kind = 'header'", "'刪除此列（重複的標題列）'", fix_en="'Delete this row (a repeated header)'", tables=ALL_TABLES),
    Check("ROW_TOTALS", "completeness", "error", "此列是合計列", "Row is a totals row",
          "這一列是合計（前幾欄寫著「合計」「總計」「Total」…），不是一筆紀錄：它的數量會被重複計算；它仍被讀入並照常檢核。",
          "This row is a total (its first cells say 合計, 總計, Total …), not a record: its count would be counted twice; "
          "it is read and judged like the others.",
          "e.row_kind = 'total'", "'刪除合計列：合計由紀錄算出，不是一筆紀錄'",
          fix_en="'Delete the totals row: totals are computed from the records, not a record'", tables=ALL_TABLES),
    Check("ROW_BELOW_TABLE", "completeness", "warning", "此列在表格下方，像是註記", "Row below the table, like a note",
          "這一列在表格結束後（空白列之後），與其後幾列都只填了一兩欄，而表格的列填了許多欄：像是留在表格下方的註記、"
          "資料來源或計算，不是一筆紀錄；它仍被讀入並照常檢核，所以也會有其他發現。",
          "This row comes after the table (below a blank row) and, like the few rows with it, fills only one or two cells "
          "where the table's rows fill many: a note, a source line or a calculation left below the table, not a record. "
          "It is read and judged like the others, so it has other findings too.",
          "e.row_kind = 'below'", "'若不是紀錄，請刪除表格下方的這一列（說明文字請寫在資料集的描述中）'",
          fix_en="'If it is no record, delete this row below the table (put notes in the dataset description)'", tables=ALL_TABLES),
]

# No derivation: the readers stage row_cells and overflow_cells, which reach `e` as record columns.
FAMILY = Family("row_shape", tuple(CHECKS))
