"""A generated classic: one paper with tens of thousands of citers spread over the years.

For tests and benchmarks of what lies past S2's 9,999-citer window. Nothing is stored on disk:
:func:`add_classic` derives every citer from its number, so 25,000 of them take well under a
second to add.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.fake_s2.corpus import Corpus


@dataclass(frozen=True)
class Classic:
    """What :func:`add_classic` added: the classic's id and DOI, and its citers by year."""

    paper_id: str
    doi: str
    per_year: dict[int | None, int]

    @property
    def citers(self) -> int:
        return sum(self.per_year.values())


def add_classic(
    corpus: Corpus,
    citers: int = 25_000,
    *,
    tag: int = 1,
    years: tuple[int, int] = (1991, 2024),
    crowded: tuple[int, int] | None = None,
    undated: int = 0,
    citation_count: int | None = None,
) -> Classic:
    """Add a classic published in ``years[0] - 1`` and its ``citers`` citers to ``corpus``.

    The citers are spread evenly over ``years`` (inclusive), except ``crowded = (year, k)``
    puts ``k`` of them in one year, and ``undated`` of them have neither year nor date. Four
    in five carry a ``publicationDate`` (months and days cycle), the rest only a ``year``. The
    classic's ``citationCount`` is ``citation_count``, by default the number of citers.
    """
    first, last = years
    span = last - first + 1
    paper_id = f"c1a551c{tag:x}".ljust(40, "0")
    doi = f"10.5555/classic.{tag}"
    corpus.add_paper({"paperId": paper_id, "title": f"A classic cited {citers:,} times",
                      "year": first - 1, "publicationDate": f"{first - 1}-06-01",
                      "citationCount": citers if citation_count is None else citation_count,
                      "externalIds": {"DOI": doi}, "authors": [{"authorId": "1", "name": "A B"}]})
    busy_year, busy = crowded if crowded else (None, 0)
    per_year: dict[int | None, int] = {}
    for i in range(citers):
        if i >= citers - undated:  # last: the first page of the whole listing has none
            year: int | None = None
        elif i < busy:
            year = busy_year
        else:
            year = first + (i % span)
        per_year[year] = per_year.get(year, 0) + 1
        pid = f"{tag:04x}{i:036x}"
        record = {"paperId": pid, "title": f"Citer {i} of classic {tag}", "year": year,
                  "citationCount": i % 50, "authors": [{"authorId": None, "name": "C D"}]}
        if year is not None and i % 5:
            record["publicationDate"] = f"{year}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        corpus.add_paper(record)
        corpus.add_edge({"citingPaperId": pid, "citedPaperId": paper_id,
                         "isInfluential": i % 7 == 0, "intents": ["methodology"] if i % 3 else [],
                         "contexts": [f"we build on the classic ({i})"]})
    return Classic(paper_id, doi, per_year)
