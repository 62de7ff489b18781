"""Every UI label, zh-TW first with English beside it: one table."""
LABELS = {
    "app_title": ("臺灣生物多樣性資料品質儀表板", "Taiwan biodiversity data-quality dashboard"),
    "overview": ("總覽", "Overview"), "rules": ("檢核規則", "Rules"),
    "snapshot": ("快照", "Snapshot"), "agency": ("機關", "Agency"), "all_agencies": ("全部機關", "All agencies"),
    "language": ("語言", "Language"),
    "records": ("紀錄數", "Records"), "agencies": ("機關數", "Agencies"), "datasets": ("資料集數", "Datasets"),
    "species": ("物種數", "Species"), "share_no_error": ("無錯誤紀錄比例", "Records without errors"),
    "usable_1km": ("可用於 1 公里分布模型", "Fit for a 1 km distribution model"),
    "top_problems": ("最常見的問題", "Top problems"), "per_dataset": ("各資料集", "Per dataset"),
    "check": ("規則", "Check"), "dimension": ("面向", "Dimension"), "severity": ("嚴重度", "Severity"),
    "title": ("標題", "Title"), "explanation": ("說明", "Explanation"), "count": ("筆數", "Count"),
    "no_snapshot": ("找不到快照：請先執行 python -m dq ingest 或 build-demo", "No snapshot found: run python -m dq ingest or build-demo"),
    "rules_intro": ("以下清單由程式中的檢核宣告自動產生，文件與程式不會不一致。",
                    "This list is generated from the check declarations in the code, so docs and code cannot disagree."),
    "pages_todo": ("其他頁面（機關成績單、地圖、缺口、快照比較、檔案檢核）見 issue #3。",
                   "The other pages (scorecard, maps, gaps, comparison, file validation) are issue #3."),
}


def t(key: str, lang: str = "zh") -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh
