import csv
import io

from explorer.exports.table import CSV_COLUMNS, csv_text, neutralise
from explorer.models import Paper, Ranked


def ranked(title: str, **kw) -> Ranked:
    return Ranked(Paper("a" * 40, title=title, year=2017, authors=("Ada", "Bob"), **kw),
                  0.5, "reference", ("cited by the seed",), rank=1)


def test_header_is_exact():
    text = csv_text([ranked("x")])
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert CSV_COLUMNS[0] == "rank" and CSV_COLUMNS[-2:] == ("url", "versions")


def test_formula_cells_are_neutralised_and_quoting_round_trips():
    rows = [ranked(t) for t in ("=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", 'a "q", b\nc')]
    parsed = list(csv.DictReader(io.StringIO(csv_text(rows))))
    assert [r["title"] for r in parsed] == [
        "'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", 'a "q", b\nc']
    assert all(not r["title"].startswith(("=", "+", "-", "@")) for r in parsed)
    assert parsed[0]["authors"] == "Ada; Bob"
    assert neutralise(5) == 5


def test_non_ascii_survives():
    parsed = list(csv.DictReader(io.StringIO(csv_text([ranked("Gödel, Escher, 巴赫")]))))
    assert parsed[0]["title"] == "Gödel, Escher, 巴赫"
