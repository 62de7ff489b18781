"""Every UI label, zh-TW first with English beside it: one table."""
import re

from . import standard

LABELS = {
    "app_title": ("臺灣生物多樣性資料品質儀表板", "Taiwan biodiversity data-quality dashboard"),
    # navigation
    "sec_agencies": ("機關與資料", "Agencies & data"), "sec_analysis": ("分析", "Analysis"),
    "sec_opendata": ("開放資料", "Open data"), "sec_tools": ("工具", "Tools"),
    "overview": ("總覽", "Overview"), "scorecard": ("機關成績單", "Agency scorecard"), "completeness": ("完整度", "Completeness"),
    "coordinates": ("坐標檢核", "Coordinate errors"), "coverage": ("物種涵蓋與缺口", "Taxon coverage & gaps"),
    "compare": ("快照比較", "Snapshot comparison"), "opendata": ("開放資料品質", "Open-data quality"),
    "validate": ("資料檢核", "Validate a file"), "rules": ("檢核規則", "Rules"),
    # pickers
    "snapshot": ("快照", "Snapshot"), "agency": ("機關", "Agency"), "all_agencies": ("全部機關", "All agencies"),
    "dataset": ("資料集", "Dataset"), "all_datasets": ("全部資料集", "All datasets"), "language": ("語言", "Language"),
    "checks": ("檢核規則", "Checks"), "measure": ("指標", "Measure"), "table": ("資料表", "Table"), "field": ("欄位", "Field"),
    "levels": ("欄位等級", "Field levels"), "county": ("縣市", "County"), "grid": ("網格", "Cell"),
    # numbers
    "records": ("紀錄數", "Records"), "agencies": ("機關數", "Agencies"), "datasets": ("資料集數", "Datasets"),
    "species": ("物種數", "Species"),
    # the headline count says in its label what it counts: a reef-fish agency's 176 species read "Species 0"
    "map_not_shown": ("另有 {n:,} 筆紀錄（{p}）沒有落在縣市內的點位，不在此圖中，也不計入圖上的比例。",
                      "{n:,} more records ({p}) have no point in a county: not on this map, nor in its shares."),
    "flag_change_axis": ("旗標數（左：消失；右：新增）", "Flags (left: gone; right: came)"),
    "flag_change_help": ("每條規則一條橫條：左側是消失的旗標（已修正，或隨紀錄移除而消失），右側是新出現的旗標（保留的紀錄上新增，或新紀錄帶來）。",
                         "One bar a check: to the left the flags gone (fixed, or gone with removed records), to the right those that came (new on kept records, or with added records)."),
    "species_kpi": ("物種數（名錄內）", "Species in the checklists"), "share_no_error": ("無錯誤紀錄比例", "Records without errors"),
    "usable_1km": ("可用於 1 公里分布模型", "Fit for a 1 km distribution model"),
    "count": ("筆數", "Count"), "count_previous": ("前次筆數", "Previous count"), "change": ("增減", "Change"),
    "flags": ("旗標數", "Flags"), "share_pct": ("比例（%）", "Share (%)"), "filled_pct": ("已填比例（%）", "Filled (%)"),
    "added": ("新增紀錄", "Records added"), "removed": ("移除紀錄", "Records removed"),
    "record": ("紀錄", "record"), "row": ("列", "row"), "suggestion": ("建議修正", "Suggested fix"),
    "check": ("規則", "Check"), "dimension": ("面向", "Dimension"), "severity": ("嚴重度", "Severity"),
    "explanation": ("說明", "Explanation"),
    "endemic": ("特有種", "Endemic"), "threatened": ("受威脅（CR/EN/VU）", "Threatened (CR/EN/VU)"),
    "taxon_group": ("類群", "Taxon group"),
    # overview
    "overview_intro": ("全部機關的資料品質：紀錄、物種、錯誤比例與最常見的問題。左側可選快照與機關，網址會記住選擇。",
                       "Data quality across agencies: records, species, error shares and the commonest problems. Pick a snapshot and agency on the left; the URL keeps the choice."),
    "overview_intro_agency": ("{agency} 的資料品質：紀錄、物種、錯誤比例與最常見的問題（下方的機關列表仍列出全部機關，以便比較）。左側可改選快照與機關，網址會記住選擇。",
                              "Data quality of {agency}: records, species, error shares and the commonest problems (the agency list below "
                              "still lists every agency, for comparison). Pick another snapshot or agency on the left; the URL keeps the choice."),
    "delta_since": ("增減相對於前一個快照 {prev}", "Changes are against the previous snapshot {prev}"),
    "map_county_quality": ("各縣市資料品質", "Quality by county"),
    "m_ok_content": ("內容無錯誤比例（不計完整度）", "Share without content errors (completeness aside)"),
    "m_share_no_error": ("完全無錯誤比例", "Share without any error"),
    "m_ok_taxonomy": ("分類無錯誤比例", "Share without taxonomy errors"), "m_ok_time": ("時間無錯誤比例", "Share without date errors"),
    "top_problems": ("最常見的問題", "Top problems"), "per_dataset": ("各資料集", "Per dataset"),
    "no_snapshot": ("找不到快照：請先執行 python -m dq ingest 或 build-demo", "No snapshot found: run python -m dq ingest or build-demo"),
    # scorecard
    "pick_agency": ("請在左側選擇機關，即可看到該機關的成績單。", "Pick an agency on the left to see its scorecard."),
    "score_overall": ("整體", "Overall"),
    "sc_given_at_ingest": ("入庫時指定、檔案本身沒有的欄位（在此算已填）：{given}。單獨檢核原始檔時，這些欄位會判為缺少。",
                           "Given at ingest, not in the file itself (counted as filled here): {given}. Validated alone, the file is judged without them."),
    "score_dim_help": ("沒有此面向「錯誤」等級旗標的紀錄比例。警告（例如「疑似重複紀錄」）不扣分：見下方各檢核的筆數。",
                       "Share of records with no error-severity flag of this dimension. Warnings (such as possible duplicates) "
                       "do not lower it: see each check's count below."),
    "score_help": ("分數＝該面向沒有錯誤等級旗標的紀錄比例；整體＝完全沒有錯誤的紀錄比例；完整度則是判定標準要求的欄位已填的平均比例（逐筆計分），所以可以低於整體。",
                   "Score = share of records with no error-severity flag in that dimension; overall = share with no error at all; "
                   "completeness is the average share of the profile's required fields filled (graded per record), so it can be below overall."),
    "worst_checks": ("問題最多的規則與變化", "Worst checks and their change"),
    "no_previous": ("沒有更早的快照可比較。", "No earlier snapshot to compare with."),
    "examples_for": ("範例紀錄：規則", "Example records for check"),
    "fix_list": ("修正清單下載", "Fix list download"),
    "fix_list_help": ("每列一個問題：來源檔列號、規則、原始值、建議修正（或請確認的事項）與說明。預設為錯誤等級且非缺欄位的規則（沒有這類錯誤時改列警告）；缺欄位通常整欄一起補。",
                      "One row per problem: source row, check, the offending values, a suggested fix (or what to check) and the explanation. Defaults to error checks other than missing fields (those are fixed column-wide), or to the warnings when there are none."),
    "fix_rows": ("共 {n:,} 列（下表顯示前 200 列）", "{n:,} rows (first 200 shown)"),
    "n_records": ("{n:,} 筆紀錄", "{n:,} records"), "n_records_one": ("1 筆紀錄", "1 record"),
    "fix_choose": ("請在上方選擇要列出的檢核規則。", "Choose the checks to list above."),
    "fix_nothing": ("此機關的紀錄沒有任何檢核發現，沒有要修正的列。", "No check found anything in this agency's records: nothing to fix."),
    "fix_rows_few": ("共 {n:,} 列", "{n:,} rows"), "fix_rows_one": ("共 1 列", "1 row"),
    "download_csv": ("下載 CSV", "Download CSV"), "download_xlsx": ("下載 XLSX", "Download XLSX"),
    "download_missing_csv": ("下載全部缺少此欄位的紀錄（CSV）", "Download every record missing this field (CSV)"),
    "missing_file": ("缺少欄位", "missing"),
    "xlsx_cut": ("超過 Excel 工作表上限（1,048,575 列），XLSX 只含前段；完整清單請用 CSV。",
                 "More rows than an Excel sheet holds (1,048,575): the XLSX is cut; the CSV has them all."),
    # completeness
    "completeness_intro": ("各機關／資料集依其判定標準的欄位已填比例：生態檢核資料依標準欄位（M 必填、C 條件式、O 選填），Darwin Core 資料集依 GBIF／TBIA 要求的欄位。",
                           "Share of records with each field filled, per agency or dataset, by each dataset's profile: the ecological-check data-sharing standard's fields (M mandatory, C conditional, O optional), or the fields GBIF/TBIA require of a Darwin Core dataset."),
    "completeness_equiv": ("一個欄位也可由同義的欄位填上：例如只有「年」欄時，調查日期算已填（日期只到年），所以下方原始的調查日期欄可能是空白。",
                           "A field also counts as filled by a column that says the same: a year column alone fills the event date (to the year), so the file's own eventDate below may be blank."),
    "level_M": ("M 必填", "M mandatory"), "level_C": ("C 條件式", "C conditional"), "level_O": ("O 選填", "O optional"),
    "heatmap_title": ("欄位已填比例（%）", "Field filled (%)"),
    "drill_missing": ("缺少欄位的紀錄", "Records missing a field"),
    "missing_summary": ("{field}：{records:,} 筆中 {missing:,} 筆空白（下表最多 200 筆）", "{field}: {missing:,} of {records:,} records blank (up to 200 shown)"),
    "nothing_to_show": ("沒有可顯示的資料。", "Nothing to show."),
    "od_level_none": ("這份目錄沒有層級為「{level}」的機關（它的 {n} 個機關都屬於另一層級）：請在「中央／地方」改選「全部」。",
                      "This catalogue lists no agency at the level “{level}” (its {n} agencies are all of the other level): choose “All” under “Central / local”."),
    # coordinates
    "coordinates_intro": ("被坐標規則標記的紀錄；點少時畫點（灰線連到原始位置），點多時改畫 H3 六角格。",
                          "Records flagged by coordinate checks: points when few (a grey line leads from the verbatim place), H3 hexagons when many."),
    "no_flags": ("沒有坐標問題。", "No coordinate problems."), "pick_checks": ("請選擇至少一條規則。", "Pick at least one check."),
    "sci_blank_named": ("其中 {vern:,} 筆已由俗名對到名錄中的物種（規則「{t_vern}」）；規則「{t_missing}」計 {missing:,} 筆{other}。學名欄仍建議補上。",
                        "{vern:,} of them have a name matched from the vernacular name (the check \"{t_vern}\"); the check \"{t_missing}\" "
                        "counts {missing:,}{other}. The scientific name column is still worth filling in."),
    "sci_blank_other": ("，另 {n:,} 筆的俗名對不到或對到多個物種（見俗名相關規則）", "; {n:,} more give a vernacular name that fits no taxon or several (the vernacular-name checks)"),
    "pick_levels": ("請選擇至少一個欄位等級。", "Pick at least one field level."),
    "points_shown": ("{n:,} 筆被標記的紀錄，位於地圖上 {places:,} 個地點（同一地點同一規則合為一點）",
                     "{n:,} flagged records at {places:,} places on the map (one dot per place and check)"),
    "example": ("例", "e.g."),
    "hexes_shown": ("{n:,} 筆，超過點數上限，改以 {cells:,} 個 H3 六角格彙總", "{n:,} records, too many for points: {cells:,} H3 cells"),
    "moved_help": ("白點＝原始填寫的位置（經緯度對調或正負號錯誤時），彩色點＝修正後的位置；點越大，該處被標記的紀錄越多。",
                   "White dots: the verbatim position (swapped or negated); coloured dots: the corrected point; the bigger the dot, the more records flagged there."),
    "flagged_records": ("被標記的地點（前 500 個；完整紀錄請下載機關成績單的修正清單）", "Flagged places (first 500; the full records are in the scorecard's fix list)"),
    # coverage
    "coverage_intro": ("哪裡、哪些類群缺少可用紀錄：本快照的紀錄與 TBIA 全部資料（2,250 萬筆，2024）逐格比較，以及 TaiCOL 名錄的涵蓋率。",
                       "Where, and for which groups, usable records are missing: this snapshot against all TBIA records (22.5M, 2024) per cell, and TaiCOL checklist coverage."),
    "usable_filter": ("只計可用於 1 公里分布模型的紀錄", "Only records fit for a 1 km distribution model"),
    "usable_help": ("條件：台灣陸海域內的有效點位、誤差 ≤ 1000 公尺、種級學名、有效日期。",
                    "Valid point in Taiwan's land and waters, uncertainty ≤ 1000 m, species-rank name, valid date."),
    "map_level": ("地圖單位", "Map by"), "level_map_grid": ("5 公里網格", "5 km grid"), "level_map_county": ("縣市", "County"),
    "level_map_town": ("鄉鎮市區", "Town"), "level_map_h3": ("H3 六角格", "H3 hexagons"),
    "groups_none_usable": ("{groups}：有紀錄，但沒有一筆可用於 1 公里分布模型（坐標誤差須填寫且不超過 1 公里，學名對得到名錄中的物種，日期可讀），因此整列空白。",
                           "{groups}: records, but none fit for a 1 km distribution model (a coordinate uncertainty given and at most 1 km, "
                           "a name matched to a species of the checklist, a readable date), so the row is blank."),
    "g_records": ("紀錄數", "Records"), "g_usable_1km": ("可用紀錄數", "Usable records"), "g_tbia_records": ("TBIA 全部紀錄數", "All TBIA records"),
    "g_gap": ("缺口：TBIA 有紀錄而本選擇沒有的網格", "Gap: cells with TBIA records but none here"),
    "cells_far_out": ("另有 {n:,} 個網格在遠離本島的島嶼（例如東沙島、南沙太平島），不在預設視野內；縮小或拖曳地圖即可看到。",
                      "{n:,} more cells lie on far islands (such as Dongsha and Taiping Island), outside the first view; zoom out or drag the map to see them."),
    "tbia_source": ("TBIA 網格筆數：生物多樣性資料庫共通查詢系統的網格彙整（2024 年）；滑鼠停在網格上時，括號內是 TBIA 自己標示的填補優先等級。",
                    "TBIA cell counts: the TBIA portal's grid aggregate (2024); hovering a cell shows TBIA's own gap-priority label in brackets."),
    "log_suffix": ("（對數尺度）", " (log scale)"),
    "taxon_by_county": ("類群 × 縣市", "Taxon group × county"), "taxon_by_county_title": ("各類群在各縣市的紀錄數", "Records per taxon group and county"),
    "checklist_coverage": ("名錄涵蓋率", "Checklist coverage"),
    "checklist_help": ("TaiCOL 名錄中（鳥類、哺乳類、爬蟲類、兩生類、維管束植物）至少有一筆紀錄的物種比例；亞種歸併至種。",
                       "Share of TaiCOL species (birds, mammals, reptiles, amphibians, vascular plants) with at least one record; subspecies count as their species."),
    "checklist_title": ("各類群名錄涵蓋率", "Checklist coverage per group"), "coverage_share": ("涵蓋率", "Coverage"),
    "unrecorded_n": ("{n:,} 種沒有紀錄，其中特有種 {endemic}、受威脅 {threatened}；{nowhere:,} 種在 TBIA 全部資料中也沒有紀錄",
                     "{n:,} species without records: {endemic} endemic, {threatened} threatened; {nowhere:,} have no record anywhere in TBIA either"),
    # a count the reference data cannot give (no red list for amphibians): said unknown, never 0
    "unknown_count": ("—（未知）", "— (unknown)"),
    # a species whose category is its varieties' or subspecies' (no category of its own): "LC; VU" read as a contradiction
    "redlist_infra": ("（種下分類群）", " (infraspecific taxa)"),
    "tbia_unrecorded": ("TBIA 亦無紀錄", "None in TBIA"),
    "tbia_unrecorded_help": ("TBIA 全部資料（2024）中也沒有這個物種的紀錄：真正的知識缺口，而不是別處已有資料。",
                             "No record of this species anywhere in TBIA (2024): a real gap in knowledge, not data held elsewhere."),
    "download_unrecorded": ("下載未記錄物種清單（CSV）", "Download the unrecorded species (CSV)"),
    # compare
    "need_two": ("需要至少兩個快照才能比較。", "Two snapshots are needed for a comparison."),
    "older": ("較早快照", "Older snapshot"), "newer": ("較新快照", "Newer snapshot"),
    "same_snapshot": ("請選兩個不同的快照。", "Pick two different snapshots."),
    "compare_key_help": ("紀錄以 機關＋資料集＋紀錄編號（occurrenceID）對應（沒有 occurrenceID 時用系統紀錄編號）。",
                         "Records are matched on agency + dataset + occurrenceID (record id when there is none)."),
    "records_per_agency": ("各機關紀錄增減", "Records per agency"), "flags_per_check": ("各規則旗標變化", "Flags per check"),
    "flag_change_title": ("變化最大的規則：已修正、保留紀錄的新問題、新紀錄的問題、移除紀錄的問題",
                          "Checks that changed most: fixed, new on kept records, on added records, on removed records"),
    "cmp_fixed": ("已修正", "Fixed"), "cmp_new_on_kept": ("保留紀錄的新問題", "New on kept records"),
    "cmp_on_added": ("新紀錄的問題", "On added records"), "cmp_on_removed": ("移除紀錄的問題", "On removed records"),
    # validate
    "validate_intro": ("上傳 CSV／XLSX／Parquet／Darwin Core Archive（zip），以全部檢核規則檢核，結果與入庫時的檢核相同。",
                       "Upload a CSV/XLSX/Parquet/Darwin Core Archive (zip): every check runs, the same as when data are taken in."),
    "upload": ("選擇檔案", "Choose a file"),
    "validate_last": ("以下是上次檢核的檔案「{name}」的結果；上傳其他檔案即取代它。",
                      "Below are the results for the last file you checked, “{name}”; upload another to replace it."),
    "too_big": ("檔案 {size:.0f} MB 超過上限 {mb} MB；大檔請用 python -m dq validate FILE --out DIR。",
                "The file is {size:.0f} MB, over the {mb} MB limit; use python -m dq validate FILE --out DIR for large files."),
    "checking": ("檢核中…", "Checking…"), "bad_file": ("無法讀取這個檔案：{msg}", "This file cannot be read: {msg}"),
    "rows_read": ("讀入列數", "Rows read"), "rows_checked": ("檢核列數", "Rows checked"), "rows_rejected": ("無法解析列數", "Rows rejected"),
    "rows_with_errors": ("有錯誤的列數", "Rows with errors"),
    "download_annotated": ("下載標註後的檔案（CSV）", "Download the annotated file (CSV)"),
    "download_report": ("下載報告（HTML）", "Download the report (HTML)"), "report": ("報告", "Report"),
    # open data
    "od_intro": ("各機關開放資料目錄的品質：資料集、五星開放、標章、更新、詮釋資料、編碼；指標定義與燈號門檻見下方。",
                 "Open-data catalogue quality per agency: datasets, 5-star openness, badges, timeliness, metadata, encoding; definitions and thresholds below."),
    "od_no_snapshot": ("找不到開放資料目錄快照：請執行 python -m dq opendata 或 build-demo", "No catalogue snapshot: run python -m dq opendata or build-demo"),
    "od_snapshot": ("目錄快照", "Catalogue snapshot"), "od_group": ("彙總層級", "Group by"),
    "od_group_agency": ("提供機關", "Providing agency"), "od_group_parent": ("上級機關", "Parent agency"),
    "od_level": ("中央／地方", "Central / local"), "od_level_all": ("全部", "All"), "od_level_central": ("中央", "Central"),
    "od_level_local": ("地方", "Local"), "od_league": ("機關排行", "League table"),
    "od_definitions": ("指標定義與燈號門檻", "Metric definitions and RAG thresholds"), "od_metric": ("指標", "Metric"),
    "od_thresholds": ("門檻", "Thresholds"),
    "od_not_judged": ("「—」：這份目錄沒有判定該指標所需的欄位（例如 2018 年縣市目錄沒有授權、格式、標章、更新頻率），不是 0。",
                      "“—”: the catalogue lacks the fields the metric needs (the 2018 city catalogues list no licence, format, badge or frequency); not a zero."),
    "od_unjudged_list": ("本快照無法判定而未列出的指標：", "Metrics this snapshot cannot judge (not shown): "),
    "od_profile": ("與同組前兩名比較", "Against the best two of its group"), "od_rank_by": ("排名依據", "Rank by"),
    "od_this": ("本機關", "this agency"), "od_profile_title": ("與同組（中央或地方）依「{rank}」前兩名比較", "Against the top two of its group (central or local) by {rank}"),
    "od_trend": ("歷次快照趨勢", "Trend across snapshots"), "od_fix_list": ("開放資料修正清單", "Open-data fix list"),
    "od_lists": ("高應用價值與雙語清單", "High-value and bilingual lists"),
    "od_lists_help": ("目錄沒有旗標欄時，依會議自己的清單勾選；存在快照旁（快照本身不變），指標立即重算。",
                      "Where the catalogue has no flag column, tick the meeting's own list; it is saved beside the snapshot (which stays unchanged) and the metrics are recomputed."),
    "od_save_lists": ("儲存清單", "Save the lists"), "od_saved": ("已儲存。", "Saved."),
    "od_save_failed": ("無法儲存清單：{msg}", "The lists could not be saved: {msg}"),
    "od_report": ("會議報告", "Meeting report"), "od_report_agencies": ("報告包含的機關", "Agencies in the report"),
    "od_make_report": ("產生報告", "Make the report"), "od_download_html": ("下載報告（HTML，可列印 A4）", "Download the report (HTML, in Chinese, A4)"),
    "od_download_xlsx": ("下載表格（XLSX）", "Download the tables (XLSX, headed in Chinese)"),
    # rules
    "rule_link": ("這項規則的完整說明 →", "What this check asks, in full →"),
    "rules_search": ("搜尋規則", "Search the rules"),
    "rules_search_help": ("輸入字詞（例如「坐標」「重複」「錯誤」），只列出名稱、說明、面向、嚴重度或其他欄位含有每個字詞的規則；以空格分開多個字詞。",
                          "Words (e.g. \"coordinate\", \"duplicate\", \"error\"): only the rules whose title, explanation, dimension, "
                          "severity or another column holds every word are listed; separate words with spaces."),
    "rules_search_n": ("符合「{q}」的規則：{n} 條（共 {total} 條）", "Rules matching \"{q}\": {n} of {total}"),
    "rules_search_none": ("沒有規則符合這些字詞；請換個說法，或清空搜尋框列出全部規則。",
                          "No rule matches these words: try others, or clear the search to list every rule."),
    "rule_pick": ("點選上表任一列，即可在此閱讀該規則的完整說明。", "Click a row of the table to read that rule in full here."),
    "rule_fix_yes": ("有：修正清單與標註檔會逐筆列出建議的修正", "Yes: the fix lists and the annotated file give a suggested fix for each record"),
    "rule_fix_no": ("無：請依說明自行判斷如何修正", "No: the explanation says what to look at"),
    "rules_intro": ("以下清單由程式中的檢核宣告自動產生，文件與程式不會不一致。",
                    "This list is generated from the check declarations in the code, so docs and code cannot disagree."),
    "check_params": ("參數（門檻值）", "Parameters (thresholds)"),
    # issue 10 (realfiles): the column mapping on the validate page, absence records
    "col_mapping": ("欄位對應（依欄名與欄位值判斷）", "Column mapping (by header and by values)"),
    "col_header": ("原始欄名", "Source column"), "col_term": ("對應 Darwin Core 欄位", "Darwin Core term"),
    "col_how": ("方式", "How"), "col_note": ("說明", "Note"),
    "col_override": ("修改欄位對應（每行一個：原欄名=Darwin Core 欄位，例如 CommonName=verbatimLocality）",
                     "Change the mapping (one per line: source column=Darwin Core term, e.g. CommonName=verbatimLocality)"),
    "col_override_bad": ("這行不是「原欄名=欄位」：{line}", "This line is not 'column=term': {line}"),
    # a mapping to a term the tool does not know: said under the box, and the last result stays
    "col_override_term": ("第 {n} 行：「{term}」不是本工具認得的 Darwin Core 欄位（例如 scientificName、vernacularName、eventDate、"
                          "decimalLatitude、locality；大小寫須相同）。這行先不套用。",
                          "Line {n}: '{term}' is not a Darwin Core term this tool knows (e.g. scientificName, vernacularName, eventDate, "
                          "decimalLatitude, locality; spelt in the same case). The line is not applied."),
    "col_override_nocol": ("「{col}」不是這個檔案的欄名，對應沒有作用（此檔的欄名見下方「欄位對應」）。",
                           "'{col}' is not a column of this file, so its mapping does nothing (the file's columns are under Column mapping below)."),
    # Streamlit's own "Press Ctrl+Enter to apply" under a text box, in the UI's language
    "input_apply": ("按 Ctrl+Enter 套用", "Press Ctrl+Enter to apply"),
    # a one-line box applies on Enter (the record page's id): it said Ctrl+Enter as the text areas do
    "input_apply_enter": ("按 Enter 套用", "Press Enter to apply"),
    "legend_not_drawn": ("{n:,}，沒有點位：列於地圖下方", "{n:,}, no point: listed below the map"),
    "how_exact": ("標準欄名", "Darwin Core name"), "how_alias": ("常見欄名", "known header"),
    "how_unit": ("欄名含單位", "header with a unit"), "how_values": ("依欄位值改對應", "moved by its values"),
    "how_found": ("依欄位值對應", "mapped by its values"),
    "how_override": ("使用者指定", "set by the user"), "how_refused": ("拒絕對應", "refused"),
    "how_extra": ("保留為額外欄位", "kept as an extra column"),
    "record_absence": ("這是一筆「未發現」紀錄（數量 0 或出現狀態為未出現）：調查過這個物種，但沒有發現。它不算出現紀錄，不列入物種數與分布圖。",
                       "This is a non-detection (a count of 0, or absent): the species was looked for and not found. It is not an occurrence and is left out of species counts and distribution maps."),
    "rows_absence": ("未發現紀錄（數量 0）", "Absence records (count 0)"),
    "rows_parent_events": ("上層調查事件", "Parent events"),
    "rows_parent_events_line": ("上層調查事件：{n:,}（{why}）", "Parent events: {n:,} ({why})"),
    "rows_parent_events_help": ("其他事件的 parentEventID 指向它們（如年度、樣區）；坐標與日期記在下層事件，不要求它們填寫",
                                "named as parentEventID by other events (a year, a site): their points and dates are on the child events, so none is asked of them"),
    # ---- #15 security (helper sec): the Validate page's child process and limits ----
    "upload_limit": ("檔案上限 {mb} MB（超過會在上傳時被拒絕）；更大的檔案請用命令列 python -m dq validate FILE --out DIR。",
                     "Files up to {mb} MB (larger ones are refused at upload); for bigger files use python -m dq validate FILE --out DIR."),
    "phase_reading": ("讀取檔案中…", "Reading the file…"), "phase_checking": ("執行檢核規則中…", "Running the checks…"),
    "phase_writing": ("寫出標註檔與報告中…", "Writing the annotated file and report…"),
    "pp_unit": (" 個百分點", " pp"),
    "validated_rows": ("讀入 {read:,} 列：檢核 {checked:,} 列，無法解析 {rejected:,} 列",
                       "{read:,} rows read: {checked:,} checked, {rejected:,} rejected"),
    "validated": ("檢核完成", "Checked"), "validate_failed": ("檢核失敗", "The check failed"),
    "read_notes": ("讀取說明", "How the file was read"),
    "validate_sheet": ("檢核的工作表", "Sheet checked"),
    "validate_sheet_help": ("活頁簿一次檢核一個工作表；選另一個工作表會重新檢核", "A workbook is checked one sheet at a time; picking another sheet checks it instead"),
    "vr_sheet": ("讀取工作表「{read}」", "Sheet “{read}” read"),
    "vr_sheets_not_read": ("；未讀取：{others}（在資料檢核頁選擇工作表，或用命令列的 --sheet）",
                           "; not read: {others} (pick another on the Validate page, or with --sheet on the command line)"),
    "validate_sheet_reset": ("改讀第一個有資料的工作表", "Read the first sheet with data instead"),
    "download_annotated_zip": ("下載標註後的檔案（CSV，zip 壓縮）", "Download the annotated file (CSV, zipped)"),
    # ---- issue #13 + #11 items 1, 5, 9 (opendata): real catalogues, national benchmark, report, open-dataset page ----
    "od13_series": ("目錄系列", "Catalogue series"),
    "od13_vs_national": ("全國 {v}", "national {v}"),
    "od13_league_pick": ("點選一列即可看該機關的比較、資料集與報告。", "Click a row to see that agency's comparison, datasets and report."),
    "od13_benchmark": ("全國基準", "National benchmark"),
    "od13_benchmark_help": ("本機關的品質標章與更新頻率分布，對照 data.gov.tw 2026 年全部 52,960 個資料集；年份不同時僅供參照，不是同一序列。",
                            "The agency's badge and update-frequency shares against all 52,960 datasets of data.gov.tw in 2026; when the years differ, for reference only, not one series."),
    "od13_kind": ("項目", "Item"), "od13_kind_badge": ("品質標章", "Badge"), "od13_kind_freq": ("更新頻率", "Update frequency"),
    "od13_category": ("類別", "Category"), "od13_agency_n": ("本機關資料集", "Agency datasets"),
    "od13_agency_share": ("本機關比例", "Agency share"), "od13_national_share": ("全國比例", "National share"),
    "od13_not_in_catalogue": ("這份目錄沒有品質標章或更新頻率欄位：只列全國數值。", "This catalogue has no badge or frequency field: national figures only."),
    "od13_peers": ("與規模相近機關比較", "Against agencies of similar size"),
    "od13_peers_title": ("同組（中央或地方）資料集數最接近的兩個機關（×＝規模倍數）", "The two agencies of its group (central or local) closest in size (× = size ratio)"),
    "od13_share": ("比例", "Share"),
    "od13_trend_one": ("這個目錄系列只有一個快照（{series}）；不同目錄不當作同一序列比較。", "This catalogue series has one snapshot ({series}); different catalogues are never compared as one series."),
    "od13_trend_missing": ("{agency} 只出現在 {n} 個快照中，無法畫趨勢。", "{agency} appears in only {n} snapshot(s): no trend to draw."),
    "od13_trend_basis": ("詮釋資料完整比例：各快照判定的欄位數不同，不畫成同一條線。", "Metadata complete: the snapshots judge different numbers of fields, so no line is drawn across them."),
    "od13_datasets": ("本機關資料集", "The agency's datasets"),
    "od13_open": ("開啟", "Open"),
    "od13_compare_with": ("比較前次快照（同一目錄系列）", "Compare with an earlier snapshot (same catalogue series)"),
    "od13_no_compare": ("不比較", "No comparison"),
    "od13_report_stale": ("報告的機關或快照已改變：請重新產生。", "The agencies or snapshot changed since the report was made: make it again."),
    "od13_report_for": ("報告：{agencies}（快照 {snap}）", "Report: {agencies} (snapshot {snap})"),
    "od_report_language": ("報告以繁體中文撰寫（諮詢小組會議的語言）。",
                           "The report and its workbook are written in Traditional Chinese, the language of the open-data advisory meeting "
                           "they are made for; the workbook's sheet names carry English."),
    "od_dataset": ("開放資料集", "Open dataset"),
    "od13_ds_intro": ("一個開放資料集：品質標章、授權、格式、更新紀錄與待修正問題；網址可直接分享。",
                      "One open dataset: badge, licence, formats, update history and findings; the URL can be shared."),
    "od13_ds_pick": ("在開放資料品質頁的機關資料集清單點選，或在下方選擇機關與資料集。", "Click a dataset in the open-data page's list, or pick an agency and dataset below."),
    "od13_ds_missing": ("快照 {snap} 中沒有這個資料集。", "No such dataset in snapshot {snap}."),
    "od13_badge": ("品質標章", "Badge"), "od13_licence": ("授權", "Licence"), "od13_formats": ("檔案格式", "Formats"),
    "od13_frequency": ("更新頻率", "Update frequency"), "od13_last_update": ("最近更新", "Last update"),
    "od13_listed": ("上架日期", "Listed"), "od13_stars": ("五星等級", "Open-data stars"),
    "od13_portal_link": ("在 data.gov.tw 開啟", "Open on data.gov.tw"), "od13_no_portal": ("這份目錄沒有 data.gov.tw 識別碼，無法連到平臺頁面。", "This catalogue has no data.gov.tw id: no portal link."),
    "od13_resources": ("檔案（資源）", "Files (resources)"), "od13_findings": ("待修正問題", "Findings"),
    "od13_no_findings_partial": ("在這份目錄記下的欄位中沒有發現問題；目錄沒有的欄位無法判斷：{fields}。",
                                 "No findings in what this catalogue records; what it does not record cannot be judged: {fields}."),
    "od13_no_findings": ("沒有待修正的問題。", "No findings."), "od13_history": ("各目錄快照中的紀錄", "What each catalogue snapshot says"),
    "od13_history_help": ("每列是一個目錄快照；不同目錄各自為一列，不是同一序列。", "One row per catalogue snapshot; different catalogues are separate rows, not one series."),
    "od13_not_judged_field": ("目錄無此欄位", "not in this catalogue"),
    "od13_blank_field": ("未填", "not given"),
    "od13_meta_missing": ("缺少的詮釋資料", "Missing metadata"),
    "od13_badge_platinum": ("白金", "Platinum"), "od13_badge_gold": ("金", "Gold"), "od13_badge_silver": ("銀", "Silver"),
    "od13_badge_bronze": ("銅", "Bronze"), "od13_badge_none": ("無", "None"),
    "od13_file_format": ("格式", "Format"), "od13_encoding": ("編碼", "Encoding"), "od13_url": ("下載網址", "Download URL"),
    "od13_volume": ("資料量", "Volume"),
    "od13_volume_help": ("目錄填寫的資料量：data.gov.tw 寫資料筆數（PDF 等文件是檔案數）；縣市平臺多寫成文字，如「約10筆」「3個檔案」。",
                         "The volume the catalogue gives: data.gov.tw gives a number of records (of files for documents such "
                         "as a PDF); the city portals mostly write it out, e.g. 約10筆 (about 10 records), 3個檔案 (3 files)."),
    "od13_volume_records": ("{n} 筆", "{n} records"), "od13_volume_files": ("{n} 個檔案", "{n} files"),
    "od13_volume_records_one": ("{n} 筆", "{n} record"), "od13_volume_files_one": ("{n} 個檔案", "{n} file"), "od13_updated": ("更新時間", "Updated"), "od13_views": ("瀏覽次數", "Views"),
    "od13_downloads": ("下載次數", "Downloads"), "od13_value": ("內容", "Value"),
    "od13_sev_error": ("錯誤", "Error"), "od13_sev_warning": ("警告", "Warning"), "od13_sev_info": ("提示", "Info"),
    "od13_sources": ("目錄快照 {snap}，目錄所載更新日 {lo} 至 {hi}。資料來源：{src}", "Catalogue snapshot {snap}; update dates in the catalogue {lo} to {hi}. Source: {src}"),
    "od13_sources_nodates": ("目錄快照 {snap}，此目錄沒有各資料集的更新日。資料來源：{src}", "Catalogue snapshot {snap}; this catalogue gives no update dates. Source: {src}"),
    # issue 12 (bdq): the TDWG BDQ family on the Rules page
    "bdq_rules": ("TDWG BDQ 核心測試（國際生物多樣性資料品質標準）", "TDWG BDQ core tests (the international biodiversity data-quality standard)"),
    "bdq_rules_intro": ("每項測試依 BDQ 規格單獨判斷各欄位：相容、不相容或無法判斷；修正建議列出建議值。`python -m dq conformance bdq` 以 TG2 驗證資料比對結果。",
                        "Each test judges its elements on their own as the BDQ specification says: compliant, not compliant or cannot judge; amendments propose values. `python -m dq conformance bdq` checks them against the TG2 validation data."),
    "bdq_kind": ("類型", "Kind"), "bdq_kind_VALIDATION": ("驗證", "Validation"), "bdq_kind_AMENDMENT": ("修正建議", "Amendment"),
    "bdq_kind_ISSUE": ("疑慮", "Issue"), "bdq_kind_MEASURE": ("度量", "Measure"), "col_kind": ("類型", "Kind"), "col_taiwan": ("與臺灣檢查的差異", "How the Taiwan checks differ"),
    "col_guid": ("BDQ 識別碼（GUID）", "BDQ GUID"),
    "bdq_taiwan": ("與臺灣檢查的差異", "How the Taiwan checks differ"),
    "bdq_differs": ("臺灣檢查與 BDQ 刻意不同之處", "Where the Taiwan checks and BDQ differ on purpose"),
    # issue 11 (dash): language switch, maps, coordinate page, record page, agency list
    "choose": ("請選擇", "Choose"), "upload_button": ("選擇檔案上傳", "Upload a file"), "record_page": ("單筆紀錄", "Record"),
    "upload_box_limit": ("每個檔案上限 {mb} MB · CSV、TSV、TXT、XLSX、ZIP、Parquet", "Up to {mb} MB per file · CSV, TSV, TXT, XLSX, ZIP, Parquet"),
    "sev_error": ("錯誤", "error"), "sev_warning": ("警告", "warning"), "sev_info": ("提示", "info"),
    "col_record_id": ("系統紀錄編號", "Record id"), "col_source_row": ("來源列號", "Source row"), "col_source_file": ("來源檔案", "Source file"),
    # Darwin Core terms the 生態檢核 tables do not name: a Chinese name on the Chinese pages, the term itself in English
    "col_year": ("年", "Year"), "col_month": ("月", "Month"), "col_day": ("日", "Day"), "col_eventID": ("調查事件代碼", "Event ID"),
    "col_dataset_id": ("資料集代碼", "Dataset id"), "col_dataset_name": ("資料集名稱", "Dataset name"),
    "col_check_id": ("規則代碼", "Check id"), "col_check": ("規則", "Check"), "col_severity": ("嚴重度", "Severity"),
    "col_dimension": ("面向", "Dimension"), "col_title": ("規則名稱", "Check"), "col_explanation": ("說明", "Explanation"),
    "col_message_zh": ("說明（中文）", "Message (zh-TW)"), "col_suggestion": ("建議修正", "Suggested fix"),
    "col_n": ("筆數", "Count"), "col_n_previous": ("前次筆數", "Previous count"), "col_change": ("增減", "Change"),
    "col_records": ("紀錄數", "Records"), "col_records_no_error": ("無錯誤紀錄數", "Records without errors"),
    "col_usable_1km": ("可用於 1 公里模型", "Fit for 1 km model"), "col_species": ("物種數", "Species"),
    "col_agency": ("機關", "Agency"), "col_county": ("縣市", "County"), "col_town": ("鄉鎮市區", "Town"),
    "col_lat": ("緯度（採用）", "Latitude (used)"), "col_lon": ("經度（採用）", "Longitude (used)"),
    "col_verbatim_lat": ("填寫的緯度", "Latitude as given"), "col_verbatim_lon": ("填寫的經度", "Longitude as given"),
    "col_coord_source": ("坐標來源", "Coordinate source"), "col_decimalLatitude": ("緯度", "Decimal latitude"),
    "col_decimalLongitude": ("經度", "Decimal longitude"), "col_occurrenceID": ("紀錄編號", "Occurrence ID"),
    "col_score_overall": ("整體", "Overall"), "col_score_completeness": ("完整度", "Completeness"),
    "col_score_coordinates": ("坐標", "Coordinates"), "col_score_taxonomy": ("分類", "Taxonomy"), "col_score_time": ("時間", "Time"),
    "col_score_vocabulary": ("詞彙", "Vocabulary"), "col_score_duplicates": ("重複", "Duplicates"),
    "col_group": ("類群", "Taxon group"), "col_species_checklist": ("名錄物種數", "Checklist species"),
    "col_species_recorded": ("有紀錄物種數", "Species recorded"), "col_endemic_checklist": ("名錄特有種", "Endemic in checklist"),
    "col_endemic_recorded": ("有紀錄特有種", "Endemic recorded"), "col_threatened_checklist": ("名錄受威脅種", "Threatened in checklist"),
    "col_threatened_recorded": ("有紀錄受威脅種", "Threatened recorded"), "col_coverage": ("涵蓋率", "Coverage"),
    "col_taxon_id": ("名錄編號", "Checklist id"), "col_scientific": ("學名", "Scientific name"), "col_vernacular": ("中文名", "Chinese name"),
    "col_vernacular_en": ("英文名", "English name"),
    "col_family": ("科名", "Family"), "col_is_endemic": ("特有種", "Endemic"), "col_threatened": ("受威脅（CR/EN/VU）", "Threatened (CR/EN/VU)"),
    "col_redlist": ("紅皮書等級", "Red list"), "col_tbia_unrecorded": ("TBIA 亦無紀錄", "None in TBIA"),
    "col_id": ("代碼", "Id"), "col_tables": ("適用資料表", "Tables"), "col_fix": ("提供建議修正", "Suggests a fix"),
    "col_flags_a": ("較早旗標數", "Flags (older)"), "col_flags_b": ("較新旗標數", "Flags (newer)"),
    "col_records_a": ("較早紀錄數", "Records (older)"), "col_records_b": ("較新紀錄數", "Records (newer)"),
    "col_fixed": ("已修正", "Fixed"), "col_new_on_kept": ("保留紀錄的新問題", "New on kept records"),
    "col_on_added": ("新紀錄的問題", "On added records"), "col_on_removed": ("移除紀錄的問題", "On removed records"),
    "col_added": ("新增紀錄", "Records added"), "col_removed": ("移除紀錄", "Records removed"),
    "kpi_usable": ("可用於 1 公里模型", "Fit for 1 km models"), "no_records": ("無紀錄", "no records"),
    "cmp_swapped": ("選的「較舊」快照比「較新」的晚：依時間先後比較 {a} → {b}。", "The \"older\" snapshot picked is the later one: compared in time order, {a} → {b}."), "none_usable": ("無可用紀錄", "none usable"),
    "agency_list": ("各機關成績", "Agencies and their scores"),
    "agency_list_help": ("點機關名稱開啟它的成績單。分數＝沒有錯誤等級旗標的紀錄比例（整體與各面向）；完整度是要求欄位已填的平均比例。",
                         "Click an agency to open its scorecard. Score = share of records with no error-severity flag (overall and per "
                         "dimension); completeness is the average share of required fields filled."),
    "record_id_input": ("系統紀錄編號", "Record id"), "record_pick": ("請輸入系統紀錄編號，或在地圖、修正清單點選一筆紀錄。",
                                                              "Type a record id, or click a record on a map or in a fix list."),
    "record_bad_id": ("「{rid}」不是系統紀錄編號（應為數字）。", "'{rid}' is not a record id (a number)."),
    "record_not_found": ("快照 {snap} 中沒有紀錄 {rid}。", "Snapshot {snap} holds no record {rid}."),
    "record_where": ("{agency} · {dataset} · 來源檔 {file} 第 {row} 列 · 快照 {snap}", "{agency} · {dataset} · source file {file}, row {row} · snapshot {snap}"),
    "record_to_scorecard": ("開啟此機關的成績單", "Open this agency's scorecard"),
    "record_findings": ("檢核結果", "Findings"), "record_no_findings": ("這筆紀錄沒有任何旗標。", "No check flags this record."),
    "record_fields": ("欄位", "Fields"), "record_derived": ("推導", "derived"), "record_verbatim": ("原始", "verbatim"),
    # short enough for the column (the longer texts were cut to 匯入時指… / "given at ingest (not in the…")
    "record_default": ("匯入指定（檔案無此欄）", "set at ingest (no column)"),
    "record_default_blank": ("匯入指定（原格空白）", "set at ingest (cell blank)"),
    "record_provenance": ("來源", "provenance"), "record_errors": ("錯誤", "Errors"), "record_warnings": ("警告", "Warnings"), "record_notes": ("提示", "Notes"),
    "record_map": ("位置", "Location"), "record_no_point": ("這筆紀錄沒有可畫的點位。", "This record has no point to map."),
    "record_point": ("採用點位 {lat}, {lon}（{src}）· {place}", "Point used {lat}, {lon} ({src}) · {place}"),
    "record_no_place": ("不在任何縣市內", "in no county"),
    "coord_counts": ("所選規則共 {flags:,} 個旗標：{mapped:,} 個畫在地圖上（{places:,} 個地點，同一地點同一規則合為一點），{unmapped:,} 個沒有可畫的點位（列在最下方）。",
                     "{flags:,} flags for the chosen checks: {mapped:,} on the map ({places:,} places; one dot per place and check), {unmapped:,} without a point to draw (listed at the bottom)."),
    "coord_counts_one": ("所選規則共 {flags:,} 個旗標：{mapped:,} 個畫在地圖上（{places:,} 個地點，同一地點同一規則合為一點），{unmapped:,} 個沒有可畫的點位（列在最下方）。",
                         "{flags:,} flags for the chosen checks: {mapped:,} on the map (1 place; one dot per place and check), {unmapped:,} without a point to draw (listed at the bottom)."),
    "coord_none_mapped": ("所選規則的紀錄都沒有可畫的點位。", "None of the chosen checks' records has a point to draw."),
    "click_for_record": ("點一下開啟這筆紀錄", "click to open the record"),
    "click_row_for_record": ("點選一列即可開啟該筆紀錄的完整檢核結果。", "Select a row to open that record with all its findings."),
    "coord_unmapped_title": ("沒有點位的紀錄（{n:,} 個旗標）", "Records without a point ({n:,} flags)"),
    "coord_unmapped_not_chosen": ("未選入上方檢核、因此未列出：{checks}；在上方選入即可列出。",
                                  "Not among the checks chosen above, so not listed: {checks}; choose them above to list them."),
    "coord_unmapped_help": ("坐標空白、無法解讀或超出範圍，地圖上畫不出來；最多列 500 筆。", "Coordinates blank, unreadable or out of range, so nothing can be drawn; up to 500 listed."),
    "unmatched_note": ("另有 {n:,} 筆紀錄的名稱未能與參考名錄比對（包括名錄未涵蓋的類群，例如魚類），不列入類群（見成績單的分類問題）。",
                       "{n:,} more records have a name that matched no reference checklist entry (groups the checklists do not cover, such as fish, included): not in any group (see the scorecard's taxonomy checks)."),
    "taxon_by_county_basis": ("只計有坐標、且不是「未發現」（數量 0 或出現狀態為未出現）的紀錄。", "Counts records with a point that are not non-detections (a count of 0, or absent)."),
    "no_redlist_note": ("參考名錄沒有 {groups} 的紅皮書等級：受威脅種數以「—」表示未知，不是 0。",
                        "The reference checklist gives no red-list category for {groups}: their threatened counts are unknown (—), not 0."),
    "no_endemism_note": ("參考名錄沒有 {groups} 的特有性資料：特有種數以「—」表示未知，不是 0。",
                         "The reference checklist has no endemism for {groups}: endemic counts are shown as unknown (—), not 0."),
    "compare_which": ("「較早」＝{a}，「較新」＝{b}。", "'Older' = {a}, 'newer' = {b}."),
    "table_opendata": ("開放資料目錄", "Open-data catalogue"), "col_params": ("參數（門檻值）", "Parameters (thresholds)"),
    "col_rf_field": ("欄位", "Field"), "col_rf_term": ("欄位代碼", "Term"), "col_rf_value": ("值", "Value"), "col_rf_kind": ("類別", "Kind"),
    # ---- issue #9 (profiles): profiles, graded scores, TBIA tiers, file- vs record-level findings, fix list ----
    "profile": ("判定標準", "Profile"), "profile_reason": ("判定依據", "Why this profile"),
    "profiles_title": ("判定標準", "Profiles"),
    "profiles_intro": ("每個資料集只依它所屬的判定標準計分：生態檢核提交資料依生態檢核資料共享標準，一般 Darwin Core 資料集依 GBIF／TBIA 的要求。未指定時依檔案自己的欄位判定（含生態檢核專屬欄位者依生態檢核資料共享標準）。適用性標準（如 1 公里分布模型）篩選可用的紀錄。",
                       "Each dataset is scored only by its own profile: ecological-check submissions by their data-sharing standard, general Darwin Core datasets by what GBIF/TBIA require. Unless given, the profile is inferred from the file's own columns (a column only that standard has → that standard). Fitness-for-use profiles (such as a 1 km model) select usable records."),
    "profile_kind": ("類型", "Kind"), "profile_kind_judge": ("判定資料集", "Judges a dataset"),
    "profile_kind_fitness": ("適用性篩選", "Fitness for use"),
    "profile_checks": ("包含的規則", "Checks"), "profile_required": ("完整度計算的欄位", "Fields graded completeness counts"),
    "profile_n_checks": ("規則數", "Number of checks"),
    "score_completeness_help": ("完整度＝判定標準要求的欄位中已填的比例，逐筆計算後平均（不是「全部填滿」才算）。",
                                "Completeness = share of the profile's required fields filled, per record, averaged (not all-or-nothing)."),
    "score_overall_help": ("整體＝沒有任何紀錄層級錯誤的紀錄比例，只計該資料集判定標準的規則；整欄缺少的欄位列在檔案層級問題。",
                           "Overall = share of records with no record-level error, counting only the dataset's profile's checks; columns absent from a whole file are file-level findings."),
    "not_comparable": ("無法比較", "Not comparable"),
    "not_comparable_help": ("與前一個快照（{prev}）的判定範圍不同（判定標準、規則或檔案欄位有變），分數不能直接相減；這不是退步。",
                            "What can be judged differs from the previous snapshot ({prev}) (profile, checks or the file's columns changed), so the scores cannot be subtracted; this is not a regression."),
    "tiers": ("TBIA 紀錄分級", "TBIA record tiers"), "tier_gold": ("金", "Gold"), "tier_silver": ("銀", "Silver"),
    "tier_bronze": ("銅", "Bronze"),
    "species_help": ("比對到臺灣物種名錄、且鑑定到種的不同物種數。名錄未涵蓋的類群（例如魚類）不計入，見分類檢核的「名錄未涵蓋此類群」。",
                     "Distinct species matched to the Taiwan checklists at species rank. Groups the checklists held do not cover "
                     "(fish, for one) are not counted: see the taxonomy finding 'Group not covered by the checklists held'."),
    "tier_help": ("金：學名＋經緯度＋年＋月＋紀錄類型＋誤差範圍或精度；銀：學名＋經緯度＋年；銅：其他。",
                  "Gold: name + lat/lon + year + month + basisOfRecord + uncertainty or precision; silver: name + lat/lon + year; bronze: the rest."),
    "tier_ungraded": ("分級只看出現紀錄：本機關有 {n:,} 列不是出現紀錄（如調查事件、物種名錄），不分級，不計入上列比例。",
                      "Tiers grade occurrence records only: this agency's {n:,} rows that are not occurrence records (sampling events, species lists …) have no tier and are not in the shares above."),
    "tiers_change": ("紀錄分級與前次快照比較（變化以未四捨五入的比例計算，可能與兩欄相減差 0.1）",
                     "Record tiers against the previous snapshot (changes are taken before rounding, so they may differ by 0.1 from the two shares shown)"),
    "tier_share_now": ("本次比例", "Share now"), "tier_share_prev": ("前次比例", "Share before"),
    "completeness_graded": ("完整度（平均已填比例）", "Completeness (mean share filled)"),
    "gold_share": ("TBIA 金級紀錄比例", "Gold-tier records"),
    "file_findings": ("檔案層級問題：整欄缺少的欄位", "File-level findings: columns absent from a file"),
    "od_open_format_same": ("這份目錄各機關的「{fmt}」都與「{stars}」相同（資料集都採開放授權時，有開放格式就是 3 星），只列後者。",
                            "Every agency's {fmt} equals its {stars} in this catalogue (with every dataset openly licensed, an open format "
                            "is 3 stars), so only the latter is shown."),
    "sc_file_errors": ("以上分數只計每一筆紀錄的錯誤；另有 {n} 項檔案層級錯誤：整欄缺少 {cols}。補上這些欄位前，資料仍須退回修正（見下方「檔案層級問題」）。",
                       "The scores above count each record's errors only; there are also {n} file-level errors: whole columns missing "
                       "({cols}). Until they are added the data still go back for fixing (see \"File-level findings\" below)."),
    "sc_file_errors_one": ("以上分數只計每一筆紀錄的錯誤；另有 1 項檔案層級錯誤：整欄缺少 {cols}。補上這個欄位前，資料仍須退回修正（見下方「檔案層級問題」）。",
                           "The scores above count each record's errors only; there is also 1 file-level error: a whole column missing "
                           "({cols}). Until it is added the data still go back for fixing (see \"File-level findings\" below)."),
    "file_findings_help": ("檔案完全沒有這些欄位：每個檔案算一個問題，不算在每一列的錯誤裡；補上欄位即可一次解決。",
                           "The file has no such column at all: one finding per file, not an error on every row; adding the column fixes it at once."),
    "rows_affected": ("影響列數", "Rows affected"), "source_file": ("來源檔案", "Source file"), "missing_column": ("缺少的欄位", "Missing column"),
    "validate_profile": ("判定標準", "Profile"),
    "validate_profile_help": ("預設依檔案欄位自動判定；可改選其他標準重新檢核。", "Inferred from the file's columns by default; pick another to re-check."),
    "profile_inferred": ("自動判定：{reason}", "Inferred: {reason}"), "profile_chosen": ("使用者指定", "Chosen by you"),
    "verdict_ready": ("可以提交：沒有檔案層級或紀錄層級的錯誤。", "Ready: no file-level or record-level errors."),
    "cli_verdict_fix_first": ("請先修正問題再提交（見報告）。", "Fix these first (see the report)."),
    "verdict_fix_first": ("請先修正問題再提交（見下方報告）。", "Fix these first (see the report below)."),
    "verdict_empty": ("檔案沒有任何資料列，沒有可檢核的內容：請確認上傳的是含資料的檔案。",
                      "The file holds no data rows, so there is nothing to judge: check that this is the file with the data."),
    "file_level_n": ("檔案層級問題", "File-level findings"),
    "vr_title": ("資料檢核報告", "Validation report"),
    "vr_meta": ("資料表類型：{table}；格式 {format}，編碼 {encoding}。", "Table: {table}; format {format}, encoding {encoding}."),
    "vr_meta_binary": ("資料表類型：{table}；格式 {format}。", "Table: {table}; format {format}."),
    "vr_profile": ("判定標準", "Judged by"),
    "vr_ready": ("可以提交：沒有檔案層級或紀錄層級的錯誤。", "Ready to submit: no file-level or record-level errors."),
    "vr_fix_first": ("請先修正以下問題再提交：", "Fix these first:"),
    "vr_empty": ("檔案沒有任何資料列，沒有可檢核的內容：請確認這是含資料的檔案。",
                 "The file holds no data rows, so there is nothing to judge: check that this is the file with the data."),
    "vr_rejected_blank_line": ("無法解析的列中有 {n:,} 列是空白列（沒有資料遺失）。",
                               "Blank lines among the rows rejected: {n:,} (no data lost)."),
    "vr_rejected_blank": ("其中 {n:,} 列是空白列，沒有資料遺失", "{n:,} of them blank lines: no data lost"),
    # the annotated file is downloaded from the validate page with headings in words (validate.readable_annotated)
    # and written by `dq validate` with dq_* columns: the report names both
    "vr_todo_rejected": ("{n:,} 列無法解析（標註檔中標為「無法解析的列」；annotated.csv 的 ROW_REJECTED）",
                         "{n:,} rows could not be parsed (marked \"Row that could not be read\" in the annotated file; ROW_REJECTED in annotated.csv)"),
    "vr_todo_column": ("補上欄位 {cols}（{title}）", "Add the column {cols} ({title})"),
    "vr_todo_records": ("{n:,} 筆紀錄：{title}", "{title} (records: {n:,})"),
    "vr_todo_below": ("（其中 {n:,} 列在表格下方，像是註記：若不是紀錄，刪除這些列即可）",
                      " — {n:,} of them are rows below the table, like notes: if they are no records, delete those rows"),
    "vr_completeness": ("完整度（平均已填比例）", "Completeness (mean share filled)"),
    "vr_rows_with_errors_note": ("「有錯誤的列數」只計紀錄層級的錯誤；檔案整欄缺少的欄位另列於檔案層級問題。",
                                 "“Rows with errors” counts record-level errors only; columns absent from the whole file are listed as file-level findings."),
    "vr_mapping": ("欄位對應", "Column mapping"), "vr_source_col": ("原始欄名", "Source column"),
    "vr_term": ("對應 Darwin Core 欄位", "Darwin Core term"), "vr_note": ("說明", "Note"),
    "vr_suspicious": ("對應可疑", "Suspicious mapping"),
    "vr_suspicious_fix": ("。請改欄名，或以 --map 原欄名=正確欄位 指定。", ". Rename the column, or map it with --map SOURCE=term."),
    "vr_unknown_col": ("不認得的欄位，已原樣保留（可用 --map 指定對應）", "Unknown column, kept as is (map it with --map)"),
    "vr_file_level": ("檔案層級問題", "File-level findings"),
    "event_file_hint": ("此檔有 eventID，但整個檔案沒有坐標與日期欄：若它們在另一個調查事件檔（Darwin Core Event），請把兩個檔案與 meta.xml "
                        "打包成 Darwin Core Archive（zip）一起檢核，每筆紀錄會帶上其事件的日期與地點。",
                        "This file has eventID but no point or date column: if they are in an event file (a Darwin Core Event "
                        "table), check both together as a Darwin Core Archive (the two files and a meta.xml in a zip): each "
                        "record then carries its event's date and place."),
    "site_file_hint": ("此檔以「{col}」記載調查樣區，但整個檔案沒有坐標與日期欄：若樣區的坐標與日期在另一個樣區或調查事件檔，"
                       "請依樣區把它們帶進每筆紀錄（合併兩檔，或以 Darwin Core Archive 的 Event 核心發布），再重新檢核。",
                       "This file names its survey sites (column “{col}”) but has no point or date column: if a site or event "
                       "table holds them, give each record its site's point and date (join the two by site, or publish them "
                       "as a Darwin Core Archive with an Event core) and check again."),
    "vr_file_level_help": ("整個檔案都沒有的欄位：每個欄位算一個問題，不算進每一列的錯誤。",
                           "Columns the whole file lacks: one finding each, not counted as errors on every row."),
    "vr_missing_col": ("缺少的欄位", "Missing column"), "vr_rows_affected": ("影響列數", "Rows affected"),
    "vr_none": ("沒有發現問題。", "None found."), "vr_record_level": ("紀錄層級問題", "Record-level findings"),
    "vr_records": ("筆", "records"), "vr_record": ("筆", "record"), "vr_row": ("列號（標題列為 0）", "Row (header = 0)"),
    "vr_bdq": ("TDWG BDQ 核心測試", "TDWG BDQ core tests"),
    # the page's annotated file heads these columns in words; only the command line's annotated.csv has dq_bdq_* (a walk
    # read "see the dq_bdq_* columns" beside a download that has none)
    "vr_bdq_help": ("國際生物多樣性資料品質標準的單筆紀錄測試，每項只判斷自己讀的欄位；逐列結果見標註檔的「未通過的 TDWG BDQ 測試」「無法判定的 TDWG BDQ 測試」「TDWG BDQ 建議修改」欄（命令列輸出的 annotated.csv 為 dq_bdq_* 欄）。",
                    "The international single-record data-quality tests, each judging only the fields it reads; row by row in the annotated file's \"TDWG BDQ tests not compliant\", \"TDWG BDQ tests that could not judge\" and \"TDWG BDQ amendments\" columns (dq_bdq_* in the command line's annotated.csv)."),
    "vr_bdq_found": ("發現問題的測試", "Tests that found issues"),
    "vr_bdq_nowhere": ("{n} 項測試在任何一列都無法判斷（檔案沒有它們讀的欄位，或整欄空白）：{tests}。這些測試不在每一列的「無法判定的 TDWG BDQ 測試」（dq_bdq_cannot_judge）中重複列出。",
                       "{n} tests could not be judged on any row (the file lacks the fields they read, or leaves them blank): {tests}. They are not repeated in every row's \"TDWG BDQ tests that could not judge\" (dq_bdq_cannot_judge)."),
    "vr_bdq_not_applicable": ("{n} 項測試只讀「{profile}」這類資料表本來就不記錄的欄位，不適用於這個檔案，未計入結果：{tests}。",
                              "{n} tests read only terms a file of this kind ({profile}) does not record: they do not apply to it and are left out of the results: {tests}."),
    "vr_bdq_parents": ("標準測試逐列判定，也判定了 {n:,} 筆上層事件（其他事件以 parentEventID 指向它們；上方的檢核把它們交給下層事件判定），"
                       "因此缺坐標、缺日期等的筆數會比上方的檢核多。",
                       "The standard tests judge every row, the {n:,} parent events included (other events name them as their "
                       "parentEventID; the checks above leave them to the events under them): their counts of empty coordinates "
                       "or dates are higher than the checks' above for that reason."),
    "vr_bdq_lacking": ("{n} 項測試因檔案沒有它們讀的欄位，每一列都不相容：{tests}。補上欄位即可；這些測試不在每一列的「未通過的 TDWG BDQ 測試」（dq_bdq_not_compliant）中重複列出。",
                       "{n} tests fail on every row because the file lacks the fields they read: {tests}. Adding the columns fixes them; they are not repeated in every row's \"TDWG BDQ tests not compliant\" (dq_bdq_not_compliant)."),
    "vr_annotated": ("完整逐列結果見標註檔（資料檢核頁下載的「…_檢核結果」檔）的「錯誤」「警告」「提示」「建議修正」欄；命令列輸出的 annotated.csv 供程式讀取，欄名為 dq_errors、dq_warnings、dq_notes、dq_suggestions。",
                     "Row-by-row results are in the annotated file (the Validate page's download, \"…_annotated\") in its Errors, Warnings, Notes and Suggested fixes columns; the command line's annotated.csv, for scripts, names them dq_errors, dq_warnings, dq_notes, dq_suggestions_en."),
    "fl_record_id": ("系統紀錄編號", "Record id"), "fl_source_file": ("來源檔案", "Source file"),
    # the fix list is where a row number is looked up in the agency's own sheet: it says where counting starts
    # (pages' tables and the record page, which say "row 2" beside the file, keep the short heading)
    "fl_source_row": ("來源列號（標題列為 0）", "Source row (header = 0)"), "fl_dataset_id": ("資料集代碼", "Dataset id"), "fl_occurrenceID": ("紀錄編號", "Occurrence ID"),
    "fl_check_id": ("規則代碼", "Check id"), "fl_severity": ("嚴重度", "Severity"), "fl_title": ("問題", "Problem"),
    "fl_message": ("說明", "Explanation"), "fl_values": ("原始值", "Offending values"),
    "col_values": ("原始值", "Values"),
    "fl_suggestion": ("建議修正或請確認", "Suggested fix or what to check"),
    "fl_scientificName": ("學名", "Scientific name"), "fl_eventDate": ("日期", "Date"),
    # the validate page's annotated file, as a reader downloads it (dq.validate.readable_annotated)
    "ann_row": ("列號", "Row"), "ann_errors": ("錯誤", "Errors"), "ann_warnings": ("警告", "Warnings"), "ann_notes": ("提示", "Notes"),
    "ann_lat": ("緯度（判讀）", "Latitude (as read)"), "ann_lon": ("經度（判讀）", "Longitude (as read)"),
    "ann_county": ("縣市（依點位）", "County (from the point)"), "ann_town": ("鄉鎮市區（依點位）", "Town (from the point)"),
    "ann_accepted_name": ("名錄接受名", "Accepted name"), "ann_match_type": ("名錄比對方式", "Checklist match"),
    "ann_name_source": ("學名來源", "Where the name came from"), "ann_quantity_kind": ("數量判讀", "Count read as"),
    "ann_suggestions": ("建議修正", "Suggested fixes"), "ann_bdq_not_compliant": ("未通過的 TDWG BDQ 測試", "TDWG BDQ tests not compliant"),
    "ann_bdq_cannot_judge": ("無法判定的 TDWG BDQ 測試", "TDWG BDQ tests that could not judge"),
    "ann_bdq_amendments": ("TDWG BDQ 建議修改", "TDWG BDQ amendments"),
    "ann_row_rejected": ("無法解析的列", "Row that could not be read"),
    "ann_blank_row": ("空白列：沒有資料，未檢核", "Blank row: no data, not checked"),
    "ann_overflow_cells": ("標題列右側多出的儲存格", "Cells beyond the header"), "ann_row_cells": ("該列的儲存格數", "Cells in the row"),
    "ann_preparing": ("正在準備檢核結果檔…", "Preparing the annotated file…"),
    "ns_vernacular": ("由中文俗名對得", "From its Chinese vernacular name"),
    "ns_vernacular_former": ("由舊中文俗名對得", "From a former Chinese vernacular name"),
    "ns_vernacular_en": ("由英文俗名對得", "From its English vernacular name"),
    "ns_ambiguous": ("俗名對到多個物種", "Vernacular name fits several species"), "ns_none": ("俗名找不到", "Vernacular name not found"),
    "qk_count": ("數量", "A count"), "qk_absence": ("未發現（0 或 absent）", "Absence (0 or absent)"),
    "qk_presence": ("出現但未計數", "Present, not counted"), "qk_range": ("範圍", "A range"), "qk_at_least": ("至少", "At least"),
    "qk_at_most": ("至多", "At most"), "qk_invalid": ("無法解讀", "Unreadable"),
    "od_fix_nothing": ("此機關的資料集沒有待修正的項目。", "Nothing to fix in this agency's datasets."),
    "completeness_m_only": ("這些資料集的判定標準只有必填欄位（M）：條件必填（C）與選填（O）欄位只屬於生態檢核標準。",
                            "These datasets' profiles have mandatory (M) fields only: conditional (C) and optional (O) fields belong to the ecological-check data-sharing standard."),
    "fixlist_file": ("修正清單", "fixlist"), "fixlist_sheet": ("修正清單", "Fix list"), "od_fixlist_file": ("開放資料修正清單", "od_fixlist"),
    "unrecorded_file": ("未記錄物種", "unrecorded"), "od_report_file": ("開放資料諮詢會議報告", "opendata_report"),
    "od_overdue_one": ("最近一次更新距今超過宣告頻率的 1.5 倍；不定期、不更新、即時／每小時者不判定（—）",
                       "Last updated longer ago than 1.5 × its declared frequency; irregular, never-updated and real-time or hourly datasets are not judged (—)"), "fl_blank": ("（空白）", "(blank)"),
    # headings of the Rules page's profile table (ui.table reads col_<name>)
    "col_profiles": ("適用判定標準", "Profiles"), "col_name": ("名稱", "Name"), "col_n_checks": ("規則數", "Number of checks"),
    "col_required": ("完整度計算的欄位", "Fields graded completeness counts"), "col_checks": ("包含的規則", "Checks"),
    "col_share_gold": ("金級比例", "Gold share"), "col_tier_gold_share": ("金級比例", "Gold share"),
    "col_tier_gold_share_prev": ("金級比例（前次）", "Gold share (previous)"), "col_tier_gold_change": ("金級比例變化", "Gold share change"),
    "col_share_silver": ("銀級比例", "Silver share"), "col_tier_silver_share": ("銀級比例", "Silver share"),
    "col_tier_silver_share_prev": ("銀級比例（前次）", "Silver share (previous)"), "col_tier_silver_change": ("銀級比例變化", "Silver share change"),
    "col_share_bronze": ("銅級比例", "Bronze share"), "col_tier_bronze_share": ("銅級比例", "Bronze share"),
    "col_tier_bronze_share_prev": ("銅級比例（前次）", "Bronze share (previous)"), "col_tier_bronze_change": ("銅級比例變化", "Bronze share change"),
    "col_profile": ("判定標準", "Profile"),
    # ---- issue #11 (dash2): like-with-like deltas, titles instead of ids, the record and open-dataset pages ----
    "ov_population_changed": ("兩個快照的機關或資料集不同：比例的增減只比較兩個快照都有的 {common} 個資料集；新增 {added} 個、移除 {removed} 個資料集"
                              "（新增機關：{agencies}；移除機關：{gone}）不計入比例增減，所以不是退步。",
                              "The snapshots hold different agencies or datasets. Share changes compare only the datasets present in both "
                              "({common}); datasets added ({added}) and removed ({removed}) are left out (agencies added: {agencies}; removed: {gone}), "
                              "so a change is never caused by who is counted."),
    "ov_population_new": ("這些資料集都不在前一個快照中：比例無法比較。", "None of these datasets is in the previous snapshot: shares cannot be compared."),
    "record_unnamed": ("未寫物種名稱的紀錄（{id}）", "A record naming no taxon ({id})"),
    "sc_agency_new": ("此機關的資料集都不在前一個快照（{prev}）中，是新加入的機關：分數沒有前次可比較。",
                      "None of this agency's datasets is in the previous snapshot ({prev}): a new agency, with no earlier scores to compare."),
    "sc_population_changed": ("此機關與前一個快照（{prev}）相比，新增 {added} 個、移除 {removed} 個資料集；分數的增減只比較兩邊都有的 {common} 個資料集。",
                              "Since the previous snapshot ({prev}) this agency's datasets changed (added: {added}, removed: {removed}); score changes "
                              "compare only the datasets present in both ({common})."),
    "col_snapshot_date": ("快照日期", "Snapshot date"), "col_h3_r7": ("H3 六角格（第 7 級）", "H3 cell (resolution 7)"),
    "col_grid_id": ("5 公里網格", "5 km grid cell"), "col_unc_m": ("採用的誤差範圍（公尺）", "Uncertainty used (m)"),
    "col_event_date_parsed": ("採用的日期", "Date used"), "col_accepted_name": ("有效學名", "Accepted name"),
    "col_match_type": ("名錄比對方式", "Checklist match"), "col_group_zh": ("類群", "Taxon group"), "col_group_en": ("類群", "Taxon group"),
    "yes": ("是", "Yes"), "no": ("否", "No"), "od_no_badge": ("無標章", "No badge"),
    "od_ds_click": ("點選一列即可開啟該資料集的頁面；「開啟」連結會在新分頁開啟。", "Select a row to open that dataset's page; the Open link opens it in a new tab."), "unit_m": (" 公尺", " m"), "unit_score": (" 分", " points"),
    "match_exact": ("完全相符", "Exact match"), "match_fuzzy": ("近似比對", "Fuzzy match"), "match_none": ("名錄中找不到", "Not in the checklist"),
    "match_not_covered": ("名錄未涵蓋此類群", "Group not covered by the checklists"),
    "match_not_a_name": ("註記而非學名", "A note, not a name"),
    "match_synonym": ("同物異名", "Synonym"), "match_above_species": ("種以上階層", "Above species rank"),
    "match_species_of_listed_subspecies": ("名錄列有其亞種的種", "Species whose subspecies are listed"),
    "match_higherrank": ("對到較高階層（屬或科）", "Matched at a higher rank (genus or family)"),
    # issue #14 (speed): the Validate page's progress bar, rows done of the pass running now
    "rows_done": ("已處理 {done:,} / {total:,} 筆", "{done:,} of {total:,} rows done"),
    # issue #11 (dash): the screenshot walk's fixes
    "hex_coarser": ("格子太多、畫面分不出：改以 H3 第 {res} 級六角格彙整（{n:,} 格）；放大地圖不會增加細節。",
                    "Too many cells for the screen to tell apart: summed into H3 resolution-{res} cells ({n:,}); zooming in adds no detail."),
    "sc_pick_below": ("或點選下列機關（紀錄數 · 無錯誤紀錄比例）：", "or one of these (records · share without errors):"),
    # issue #14 follow-up (read as a manager): what keeps records from the next TBIA tier, in the validation report
    "vr_tier_gap_silver": ("銅級的 {n:,} 筆未達銀級的原因：{items}。", "Why {n:,} records are bronze, not silver: {items}."),
    "vr_tier_gap_gold": ("銀級的 {n:,} 筆未達金級的原因：{items}。", "Why {n:,} records are silver, not gold: {items}."),
    # one record (a browser walk: "Why 1 records are silver"): English says it in the singular
    "vr_tier_gap_silver_one": ("銅級的 {n:,} 筆未達銀級的原因：{items}。", "Why {n:,} record is bronze, not silver: {items}."),
    "vr_tier_gap_gold_one": ("銀級的 {n:,} 筆未達金級的原因：{items}。", "Why {n:,} record is silver, not gold: {items}."),
    "tier_req_n": ("缺{what} {n:,} 筆", "{what} ({n:,})"), "list_sep": ("、", ", "),
    "tier_req_name": ("學名（scientificName）", "no scientificName"),
    "tier_req_point": ("可定位的經緯度", "no point that can be placed"), "tier_req_year": ("可判讀的日期", "no readable date"),
    "tier_req_month": ("月份", "no month"), "tier_req_basis": ("紀錄類型（basisOfRecord）", "no basisOfRecord"),
    "tier_req_uncertainty": ("座標誤差範圍或精度", "neither coordinate uncertainty nor precision"),
    "vr_tier_names_not_in_file": ("其中 {n:,} 筆的學名是本工具由俗名等欄位對到名錄而得，檔案本身沒有填 scientificName；TBIA 分級只看檔案填寫的學名，在檔案中補上學名欄即可升級。",
                                  "{n:,} of them have a name this tool matched from the vernacular name or another column, but the file itself "
                                  "gives no scientificName; TBIA's tiers count only the file's own scientific name: add that column to raise them."),
}
for _kind, (_zh, _en) in standard.TABLE_NAMES.items():
    LABELS[f"table_{_kind}"] = (_zh, _en)
LABELS["table_event"] = ("調查事件", "Sampling events")


def t(key: str, lang: str = "zh") -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def counted(key: str, n) -> str:
    """The label for a count of `n`: its "_one" form for exactly one, where the table has one (English says
    "1 record", not "1 records")."""
    return f"{key}_one" if n == 1 and f"{key}_one" in LABELS else key


# How a reader described the file (StagedSource.notes: English, as the manifest keeps them), in zh-TW.
# One pattern per kind of note the readers write (dq/sources/*.py); a note no pattern knows is shown as it is.
NOTE_ZH = [
    (r"sheet '(?P<s>.*)'", "工作表「{s}」"),
    (r"header (?P<i>\d+) is longer than (?P<n>\d+) characters: cut", "第 {i} 欄的欄名超過 {n} 個字元：已截斷"),
    (r"column (?P<i>\d+) has no header: shown as '(?P<k>.*)'", "第 {i} 欄沒有欄名：以「{k}」表示"),
    (r"(?P<n>\d+) columns have no header \(columns (?P<a>\d+)–(?P<b>\d+)\): shown as 'column_<n>'",
     "{n} 欄沒有欄名（第 {a}–{b} 欄之間）：以「column_欄號」表示"),
    (r"header '(?P<s>.*)' is a name this tool uses itself: kept as '(?P<k>.*)'", "欄名「{s}」與本工具自用的名稱相同：改名為「{k}」保留"),
    (r"header '(?P<s>.*)' repeats: column (?P<i>\d+) kept as '(?P<k>.*)'", "欄名「{s}」重複：第 {i} 欄改名為「{k}」保留"),
    (r"header on row (?P<r>\d+); the row\(s\) above it read as a title, not data: (?P<t>.*)",
     "欄名在第 {r} 列；上方的列視為標題，不是資料：{t}"),
    (r"header on row (?P<r>\d+); the blank row\(s\) above it are skipped", "欄名在第 {r} 列；上方的空白列略過"),
    (r"line (?P<l>\d+), above the header, cannot be read \((?P<w>[^)]*)\) and is no row: (?P<t>.*)",
     "欄名上方的第 {l} 列無法讀取（{w}），不是資料列：{t}"),
    (r"(?P<n>[\d,]+) JSON files", "{n} 個 JSON 檔"),
    (r"keys not read \(unsafe names\): (?P<k>.*)", "未讀取的鍵（名稱不安全）：{k}"),
    (r"(?P<n>[\d,]+) event rows could not be read \(their occurrences lack the event's fields\)",
     "{n} 列事件無法讀取（其出現紀錄因此缺少事件的欄位）"),
    (r"(?P<n>[\d,]+) occurrences name an event the core does not hold", "{n} 筆出現紀錄指向核心表中沒有的事件"),
    (r"core rowType (?P<t>.*); (?P<n>\d+) extension\(s\) not joined", "核心表類型 {t}；{n} 個延伸表未合併"),
    (r"encoding guessed as (?P<e>\S+) \(not UTF-8 or Big5\); if names look garbled, save the file as UTF-8",
     "編碼推測為 {e}（不是 UTF-8 或 Big5）；若名稱出現亂碼，請另存為 UTF-8"),
    (r"(?P<n>[\d,]+) cells have '\?' beside Chinese characters: most likely characters Big5 \(CP950\) cannot hold, lost when "
     r"the file was saved; save it as UTF-8 \(CSV UTF-8\) and send it again",
     "{n} 格在中文字旁有「?」：多半是存成 Big5（CP950）時無法表示而遺失的字（例如 鴴、鷉、堃）；請另存為「CSV UTF-8」後重新提供"),
    (r"(?P<n>[\d,]+) rows? ha(?:ve|s) fewer cells than the header \((?P<w>\d+)\): kept, missing cells empty",
     "{n} 列的欄位數少於標題列（{w} 欄）：保留，缺少的欄位留空"),
    # the column as the annotated download heads it (ann_overflow_cells), and as annotated.csv names it
    (r"(?P<n>[\d,]+) rows? ha(?:ve|s) more cells than the header \((?P<w>\d+)\): kept, the extra cells in the column "
     + re.escape(f'"{LABELS["ann_overflow_cells"][1]}" (overflow_cells)'),
     f"{{n}} 列的欄位數多於標題列（{{w}} 欄）：保留，多出的內容放在「{LABELS['ann_overflow_cells'][0]}」欄（overflow_cells）"),
    (r"the taxon IDs of sheet\(s\) “(?P<s>[^”]*)” \((?P<n>[\d,]+)\) are read to resolve the accepted name IDs "
     r"\(acceptedNameUsageID\) of this sheet's rows", "已讀取工作表「{s}」的物種編號（{n} 個），用來核對本工作表各列的有效名編號（acceptedNameUsageID）"),
    (r"the taxon IDs of sheet\(s\) (?P<s>.*) \((?P<n>[\d,]+)\) are read to resolve the accepted name IDs "
     r"\(acceptedNameUsageID\) of this sheet's rows", "已讀取工作表 {s} 的物種編號（{n} 個），用來核對本工作表各列的有效名編號（acceptedNameUsageID）"),
    (r"(?P<n>[\d,]+) rows have cells right of the header: kept in the column "
     + re.escape(f'"{LABELS["ann_overflow_cells"][1]}" (overflow_cells)'),
     f"{{n}} 列在標題列右側還有內容：保留在「{LABELS['ann_overflow_cells'][0]}」欄（overflow_cells）"),
]


# the fixed words inside a note (sources/text.py UNREAD_WHY), in zh-TW
NOTE_WORDS_ZH = {"a quote out of place": "引號位置有誤", "bytes that are no text in its encoding": "含有無法以其編碼解讀的位元組",
                 "longer than the line limit": "超過單列長度上限"}


def note_text(note: str, lang: str = "zh") -> str:
    """A reader's note in the UI language."""
    if lang != "zh":
        return note
    for rx, zh in NOTE_ZH:
        m = re.fullmatch(rx, note)
        if m:
            return zh.format(**{k: NOTE_WORDS_ZH.get(v, v) for k, v in m.groupdict().items()})
    return note


# data.gov.tw's update frequencies as catalogues write them (每1年, 每年, 每3月, 不定期更新, 不更新, 即時), in English
_FREQ_UNIT = {"年": ("year", "Yearly"), "半年": ("half-year", "Every six months"), "季": ("quarter", "Quarterly"),
              "月": ("month", "Monthly"), "週": ("week", "Weekly"), "周": ("week", "Weekly"), "星期": ("week", "Weekly"), "日": ("day", "Daily"),
              "天": ("day", "Daily"), "小時": ("hour", "Hourly"), "時": ("hour", "Hourly"), "分鐘": ("minute", "Every minute"),
              "分": ("minute", "Every minute")}
_FREQ_WORDS = {"不定期": "Irregular", "不定期更新": "Irregular", "不更新": "Never updated", "即時": "Real-time", "即時更新": "Real-time"}


# licences catalogues name in Chinese, by the English names their issuers give them (政府資料開放授權條款 is
# published in English as the "Open Government Data License"); the catalogue's own words stay beside them
_LICENCE_EN = [(r"政府資料開放授權條款\s*[-－–—]?\s*第\s*(\d+)\s*版", "Open Government Data License, version {0}.0"),
               (r"政府資料開放授權條款", "Open Government Data License"),
               (r"創用\s*CC\s*姓名標示\s*(\d(?:\.\d)?)\s*版?", "Creative Commons Attribution {0}"),
               (r"公眾領域", "Public domain")]


def licence_text(value, lang: str = "zh"):
    """A catalogue's licence in the UI language: in English a licence known by an English name reads
    'English name (as written)'; one no rule knows is shown as written."""
    if lang == "zh" or not isinstance(value, str):
        return value
    v = value.strip()
    for rx, en in _LICENCE_EN:
        m = re.fullmatch(rx, v)
        if m:
            return f"{en.format(*m.groups())} ({v})"
    return value


def frequency_text(value, lang: str = "zh"):
    """A catalogue's update frequency in the UI language (the value as written in zh-TW; a form no rule knows
    is shown as it is)."""
    if lang == "zh" or not isinstance(value, str):
        return value
    v = value.strip()
    if v in _FREQ_WORDS:
        return _FREQ_WORDS[v]
    m = re.fullmatch(r"每\s*(\d*)\s*(半年|年|季|月|週|周|星期|日|天|小時|時|分鐘|分)(?:更新)?(?:一次)?", v)
    if not m:
        return value
    n, (unit, every) = m.group(1), _FREQ_UNIT[m.group(2)]
    return every if n in ("", "1") else f"Every {int(n)} {unit}s"


# IUCN red-list categories (as Taiwan's red lists use them): the plant list writes the code alone (VU), the bird
# list the category in words with it (易危（VU, Vulnerable）); both read the same way on screen and in downloads
_REDLIST = {"EX": ("滅絕", "Extinct"), "EW": ("野外滅絕", "Extinct in the Wild"), "RE": ("區域滅絕", "Regionally Extinct"),
            "CR": ("極危", "Critically Endangered"), "EN": ("瀕危", "Endangered"), "VU": ("易危", "Vulnerable"),
            "NT": ("接近受脅", "Near Threatened"), "LC": ("暫無危機", "Least Concern"), "DD": ("資料缺乏", "Data Deficient"),
            "NA": ("不適用", "Not Applicable"), "NE": ("未評估", "Not Evaluated")}


def redlist_text(value, lang: str = "zh"):
    """A red-list category (or several, "; "-separated) in the UI language: 易危（VU） / Vulnerable (VU). A text
    that is neither a known code nor "words（CODE, English）" is shown as written."""
    if not isinstance(value, str) or not value.strip():
        return value
    out = []
    for part in [p for p in re.split(r"\s*;\s*", value.strip()) if p]:
        m = re.fullmatch(r"(?:[^（(]*[（(])?\s*([A-Z]{2})\s*(?:,[^）)]*)?[）)]?", part)
        code = m.group(1) if m else None
        if code not in _REDLIST:
            out.append(part)
            continue
        zh, en = _REDLIST[code]
        out.append(f"{zh}（{code}）" if lang == "zh" else f"{en} ({code})")
    return "; ".join(out)


# a text encoding as people name it, not Python's codec name ("utf-8-sig" is UTF-8 with a byte-order mark)
_ENCODING_NAMES = {"utf-8": ("UTF-8", "UTF-8"), "utf-8-sig": ("UTF-8（含 BOM）", "UTF-8 (with a byte-order mark)"),
                   "cp950": ("Big5（cp950）", "Big5 (cp950)"), "big5": ("Big5", "Big5"), "big5hkscs": ("Big5-HKSCS", "Big5-HKSCS"),
                   "cp1252": ("Windows-1252", "Windows-1252"), "utf-16": ("UTF-16", "UTF-16"), "utf-16-le": ("UTF-16 LE", "UTF-16 LE"),
                   "utf-16-be": ("UTF-16 BE", "UTF-16 BE"), "gb18030": ("GB18030", "GB18030"), "gbk": ("GBK", "GBK")}


def encoding_name(codec, lang: str = "zh"):
    """The encoding a file was read in, as its users name it (utf-8-sig → UTF-8 with a byte-order mark)."""
    if not isinstance(codec, str):
        return codec
    zh, en = _ENCODING_NAMES.get(codec.lower().replace("_", "-"), (codec.upper(), codec.upper()))
    return zh if lang == "zh" else en


_ENCODING_WORDS = {"其他": "Other", "其它": "Other"}
# the format words data.gov.tw writes in Chinese (2018: 壓縮檔 for a ZIP archive, 其他 for any format not listed)
# data.gov.tw 2018 writes WEBSERVICES (and WEBSERVICE) for a dataset served by an API, not a file format
FORMAT_WORDS = {"壓縮檔": "Archive", "其他": "Other", "其它": "Other", "WEBSERVICES": "Web service (API)", "WEBSERVICE": "Web service (API)",
                "API": "Web service (API)"}
FORMAT_WORDS_ZH = {"WEBSERVICES": "網路服務（API）", "WEBSERVICE": "網路服務（API）", "API": "網路服務（API）"}


def _catalogue_words(value, lang: str, words: dict[str, str]):
    """A catalogue cell of ";"-separated values (a row may list several files) with its words in the UI
    language, listed as the language lists them (CSV、JSON in zh-TW; CSV, JSON in English)."""
    if not isinstance(value, str):
        return value
    return ("、" if lang == "zh" else ", ").join(words.get(v.strip(), v.strip()) for v in value.split(";"))


def format_text(value, lang: str = "zh"):
    """A catalogue's file format(s) in the UI language: the formats are their names (CSV, JSON), but data.gov.tw
    writes a few in Chinese words, and an API as WEBSERVICES."""
    return _catalogue_words(value, lang, FORMAT_WORDS_ZH if lang == "zh" else FORMAT_WORDS)


def encoding_text(value, lang: str = "zh"):
    """A catalogue's encoding word in the UI language: data.gov.tw writes 其他 for any encoding not listed."""
    return _catalogue_words(value, lang, {} if lang == "zh" else _ENCODING_WORDS)


def catalogue_time(value):
    """A catalogue's timestamp written the same way everywhere on screen: ISO date, then hours and minutes
    where the catalogue gives a time (2018/03/09 12:35, 2018-03-31T06:38:38.795910 and 2024-06-20 14:38:54
    are 2018-03-09 12:35, 2018-03-31 06:38 and 2024-06-20 14:38); a midnight with no seconds past it is a
    date written as a timestamp (上架日期 2016-08-31 00:00:00 is 2016-08-31)."""
    if hasattr(value, "strftime") and not (isinstance(value, float) or value != value):
        value = str(value)
    if not isinstance(value, str):
        return value

    def one(v: str) -> str:
        m = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(.*)", v)
        if not m:
            return v.strip()
        date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        hh, mm, ss, frac, rest = m.group(4), m.group(5), m.group(6), m.group(7), m.group(8).strip()
        midnight = hh is not None and int(hh) == 0 and mm == "00" and (ss or "00") == "00" and not (frac or "").strip(".0")
        time_ = f" {int(hh):02d}:{mm}" if hh is not None and not midnight else ""
        return f"{date}{time_}{(' ' + rest) if rest else ''}"
    return "; ".join(one(v) for v in value.split(";"))   # a row may list several files' times


# Chinese names of the Darwin Core terms neither the 生態檢核 standard nor the profiles name (the record
# page listed geodeticDatum, municipality … under 欄位 in the zh UI); after TaiBIF's translations
TERM_ZH = {
    "publisher": "發布單位", "kingdom": "界", "phylum": "門", "class": "綱", "order": "目", "genus": "屬",
    "geodeticDatum": "大地基準", "coordinatePrecision": "坐標精確度", "locality": "地點", "stateProvince": "一級行政區",
    "dwc_county": "縣市", "municipality": "鄉鎮市區", "countryCode": "國家代碼", "individualCount": "個體數量",
    "occurrenceRemarks": "紀錄備註", "license": "授權", "issue": "GBIF 問題標記", "occurrenceStatus": "出現狀態",
    "verbatimEventDate": "原始日期", "eventTime": "調查時間", "parentEventID": "上層事件編號", "verbatimIdentification": "原始鑑定名稱",
    "acceptedNameUsageID": "有效名編號", "continent": "洲", "country": "國家", "cultivarEpithet": "栽培品種名",
    "dataGeneralizations": "資料模糊化說明", "dateIdentified": "鑑定日期", "degreeOfEstablishment": "立足程度",
    "endDayOfYear": "結束日序", "establishmentMeans": "原生或外來", "footprintWKT": "範圍（WKT）", "genericName": "屬名",
    "higherClassification": "高階分類", "higherGeography": "高階地理", "higherGeographyID": "高階地理編號",
    "infragenericEpithet": "屬下名", "infraspecificEpithet": "種下小名", "island": "島嶼", "islandGroup": "群島",
    "locationID": "地點編號", "maximumDepthInMeters": "最大深度（公尺）", "maximumElevationInMeters": "最高海拔（公尺）",
    "minimumDepthInMeters": "最小深度（公尺）", "minimumElevationInMeters": "最低海拔（公尺）", "namePublishedInYear": "名稱發表年",
    "originalNameUsageID": "原始名編號", "parentNameUsageID": "上階名編號", "pathway": "引入途徑",
    "scientificNameAuthorship": "命名者", "scientificNameID": "學名編號", "sex": "性別", "specificEpithet": "種小名",
    "startDayOfYear": "開始日序", "subfamily": "亞科", "subgenus": "亞屬", "subtribe": "亞族", "superfamily": "總科",
    "taxonConceptID": "分類概念編號", "taxonID": "物種編號", "tribe": "族", "type": "資料類型", "typeStatus": "模式標本狀態",
    "verbatimCoordinates": "原始坐標", "verbatimDepth": "原始深度", "verbatimElevation": "原始海拔", "waterBody": "水體",
}


# The official English names of the agencies and publishers the demo and data.gov.tw's catalogues name
# (their own English sites), for the English UI: a name not here is shown as published (the catalogues hold
# ~600 agencies and their many offices, which have no English name in the data). A city or county
# government is named from its county's English name (agency_en).
AGENCY_EN = {
    "行政院": "Executive Yuan", "司法院": "Judicial Yuan", "立法院": "Legislative Yuan", "考試院": "Examination Yuan",
    "監察院": "Control Yuan", "總統府": "Office of the President",
    "內政部": "Ministry of the Interior", "外交部": "Ministry of Foreign Affairs", "國防部": "Ministry of National Defense",
    "財政部": "Ministry of Finance", "教育部": "Ministry of Education", "法務部": "Ministry of Justice",
    "經濟部": "Ministry of Economic Affairs", "交通部": "Ministry of Transportation and Communications",
    "勞動部": "Ministry of Labor", "農業部": "Ministry of Agriculture", "衛生福利部": "Ministry of Health and Welfare",
    "環境部": "Ministry of Environment", "文化部": "Ministry of Culture", "數位發展部": "Ministry of Digital Affairs",
    "國家發展委員會": "National Development Council", "國家科學及技術委員會": "National Science and Technology Council",
    "大陸委員會": "Mainland Affairs Council", "金融監督管理委員會": "Financial Supervisory Commission",
    "海洋委員會": "Ocean Affairs Council", "僑務委員會": "Overseas Community Affairs Council",
    "國軍退除役官兵輔導委員會": "Veterans Affairs Council", "原住民族委員會": "Council of Indigenous Peoples",
    "客家委員會": "Hakka Affairs Council", "行政院公共工程委員會": "Public Construction Commission",
    "行政院主計總處": "Directorate-General of Budget, Accounting and Statistics",
    "行政院人事行政總處": "Directorate-General of Personnel Administration", "中央銀行": "Central Bank of the Republic of China (Taiwan)",
    "國立故宮博物院": "National Palace Museum", "中央選舉委員會": "Central Election Commission",
    "公平交易委員會": "Fair Trade Commission", "國家通訊傳播委員會": "National Communications Commission",
    "國家災害防救科技中心": "National Science and Technology Center for Disaster Reduction",
    "交通部中央氣象署": "Central Weather Administration", "交通部中央氣象局": "Central Weather Bureau",
    "經濟部水利署": "Water Resources Agency", "勞動部職業安全衛生署": "Occupational Safety and Health Administration",
    "衛生福利部中央健康保險署": "National Health Insurance Administration",
    "金融監督管理委員會證券期貨局": "Securities and Futures Bureau", "金融監督管理委員會銀行局": "Banking Bureau",
    "內政部國家公園署": "National Park Service", "國家公園署": "National Park Service",
    "農業部林業及自然保育署": "Forestry and Nature Conservation Agency", "林業及自然保育署": "Forestry and Nature Conservation Agency",
    "農業部生物多樣性研究所": "Taiwan Biodiversity Research Institute", "生物多樣性研究所": "Taiwan Biodiversity Research Institute",
    "特有生物研究保育中心": "Endemic Species Research Institute", "海洋委員會海洋保育署": "Ocean Conservation Administration",
    "海洋保育署": "Ocean Conservation Administration", "行政院農業委員會": "Council of Agriculture",
    "行政院農業委員會林務局": "Forestry Bureau", "行政院環境保護署": "Environmental Protection Administration",
    "國立臺灣大學海洋研究所": "Institute of Oceanography, National Taiwan University",
    "臺灣生物多樣性觀測網絡（TaiBON）": "Taiwan Biodiversity Observation Network (TaiBON)",
    "國立臺灣科學教育館": "National Taiwan Science Education Center", "臺灣高等檢察署": "Taiwan High Prosecutors Office",
    "財政部財政資訊中心": "Fiscal Information Agency", "法務部矯正署": "Agency of Corrections",
    "經濟部商業發展署": "Administration of Commerce", "經濟部產業發展署": "Industrial Development Administration",
}


def agency_en(name, counties: dict | None = None):
    """An agency's official English name (AGENCY_EN, 台 read as 臺), a city or county government's from its
    county's English name (`counties`: 臺北市 → Taipei City gives Taipei City Government), else the name as given."""
    if not isinstance(name, str):
        return name
    key = name.strip().replace("台", "臺")
    if key in AGENCY_EN:
        return AGENCY_EN[key]
    if counties and key.endswith("政府") and key[:-2] in counties:
        return f"{counties[key[:-2]]} Government"
    return name


def column_heading(col: str, lang: str = "zh") -> str:
    """A column's heading: the label table's col_<name>, else in zh-TW the Darwin Core names the pages use
    (調查日期 for eventDate), then the 生態檢核 standard's field names, else the term itself. One source for
    the pages and the validate report (whose zh-TW report had named a frog sighting's date 資料產生日期, the
    works standard's "date the data were made", on every kind of file)."""
    if f"col_{col}" in LABELS:
        return t(f"col_{col}", lang)
    if lang == "zh":
        from .profiles import FIELD_ZH
        if col in FIELD_ZH:
            return FIELD_ZH[col]
        from .standard import FIELDS, OCCURRENCE
        for kind in [OCCURRENCE] + [k for k in FIELDS if k != OCCURRENCE]:   # the occurrence table's names first
            for term, zh, _ in FIELDS[kind]:
                if term == col:
                    return zh
        return TERM_ZH.get(col, col)
    return term_words(col)


def term_words(col: str) -> str:
    """A Darwin Core term as an English heading, as GBIF's pages write them (scientificName → Scientific name,
    occurrenceID → Occurrence ID, coordinateUncertaintyInMeters → Coordinate uncertainty in meters); any other
    name as it is. The Chinese UI names them in Chinese; the English one had shown the camelCase term beside
    headings in words. Where the term itself is wanted (the record page, a missing column) it is shown as such."""
    from .sources.aliases import CANONICAL, DWC_TERMS
    if col not in DWC_TERMS and col not in CANONICAL:
        return col
    toks = re.findall(r"[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|[A-Z]+|\d+", col)
    if not toks or "".join(toks) != col:
        return col
    text = " ".join(t if len(t) > 1 and t.isupper() else t.lower() for t in toks)
    return text[0].upper() + text[1:]
