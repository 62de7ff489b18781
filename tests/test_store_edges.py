"""Read-side edge cases the pages can reach (#15 item 7)."""


def test_check_counts_on_a_filter_that_matches_nothing():
    from dq import store
    snap = store.snapshots()[-1]
    df = store.check_counts(snap, "coordinates", agency="no such agency")
    assert df.empty and list(df.columns) == ["check_id", "n"]
    assert not store.check_counts(snap, "coordinates").empty
