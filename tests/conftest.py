from pathlib import Path

import pandas as pd
import pytest

FIX = Path(__file__).parent / "fixtures"
CHECK_DATE = "2026-11-22"


@pytest.fixture(scope="session")
def constructed(tmp_path_factory):
    """The constructed rows validated once: (annotated DataFrame, summary)."""
    from dq.validate import validate
    out = tmp_path_factory.mktemp("constructed")
    summary = validate(FIX / "constructed_occurrence.csv", out, CHECK_DATE)
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    return ann, summary, out


def flagged(ann: pd.DataFrame) -> list[set[str]]:
    return [set(x for x in (e + ";" + w).split(";") if x) for e, w in zip(ann["dq_errors"], ann["dq_warnings"])]
