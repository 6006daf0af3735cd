"""bench.quality's halves: how a file is split when each half is scored on its own."""

from bench.quality import halves


def test_summary_files_split_first_and_second_quotation_files_even_and_odd():
    records = [{"i": i} for i in range(5)]
    assert halves(records, interleaved=False) == [("first half", records[:2]), ("second half", records[2:])]
    assert halves(records, interleaved=True) == [
        ("even records", [records[0], records[2], records[4]]),
        ("odd records", [records[1], records[3]]),
    ]
