"""Read-side edge cases the pages can reach (#15 item 7)."""


def test_check_counts_on_a_filter_that_matches_nothing():
    from dq import store
    snap = store.snapshots()[-1]
    df = store.check_counts(snap, "coordinates", agency="no such agency")
    assert df.empty and list(df.columns) == ["check_id", "n"]
    assert not store.check_counts(snap, "coordinates").empty


def test_examples_are_the_first_flagged_records_of_the_check_and_agency():
    """store.examples finds its few ids first and reads the records for those alone (#14): the same rows as
    joining every flag with the records and taking the first n, for a common and a rare check, with and
    without an agency, in both languages, and none for an agency without the check."""
    from dq import store
    snap = store.snapshots()[-1]
    cols = ", ".join(f'o."{c}"' for c in store.EXAMPLE_COLS)
    counts = store.check_counts(snap)
    ids = [counts["check_id"].iloc[0], counts["check_id"].iloc[-1]]
    agencies = [None] + store.agencies(snap)[:2]
    for check in ids:
        for agency in agencies:
            for lang in ("zh", "en"):
                where, params = store._filters("o", agency, None, [check])
                # a check without a concrete fix for a record says what to do (its todo), as the fix list does
                todo = __import__("dq.checks").checks.by_id()[check].todo(lang)
                want = store._query(store._rec(snap, f"""SELECT {cols}, coalesce({store.suggestion_col(snap, lang)}, ?) AS suggestion
                    FROM read_parquet({store._pq(snap, 'flags')}) f JOIN {store.REC} o USING (record_id)
                    WHERE {' AND '.join(where)} ORDER BY o.record_id LIMIT 5"""), [todo] + params)
                got = store.examples(snap, check, agency, 5, lang)
                assert got.equals(want), (check, agency, lang)
    assert len(store.examples(snap, ids[0], None, 5)) == 5
    assert store.examples(snap, ids[0], "no such agency", 5).empty
