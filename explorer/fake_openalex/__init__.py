"""A faithful fake of the OpenAlex API, for tests and demos (stdlib only, like the fake S2).

It runs on the fakes' server base (:class:`explorer.fake_s2.FakeServer`: request log, fault
queue, 127.0.0.1 socket) and serves works derived from an S2 corpus, such as the repository's
``data/s2-sample``, plus generated citers.

Example::

    with FakeOpenAlex("data/s2-sample", api_key="k") as fake:
        turing = fake.works.of_s2["2d5673caa9e6af3a7b82a43f19ee920992db07ad"]
        fake.works.add_citers(turing, 2000)
        fake.inject(429, times=1)            # the next request gets 429

Run standalone beside the fake S2: ``python -m explorer.fake_s2 --corpus data/s2-sample
--openalex-port 8767 --openalex-citers 5000`` (it prints the exports to paste).

Modules: :mod:`.works` (the works, merges, generated citers), :mod:`.server` (the routes).
"""

from explorer.fake_openalex.server import LIST_COST, OR_MAX, PER_PAGE_MAX, FakeOpenAlex, with_citers
from explorer.fake_openalex.works import Works, inverted_index, work_of

__all__ = ["LIST_COST", "OR_MAX", "PER_PAGE_MAX", "FakeOpenAlex", "Works", "inverted_index",
           "with_citers", "work_of"]
