"""The fake's Recommendations API and fake SPECTER vectors: S2's shapes, limits and errors."""

from __future__ import annotations

import httpx

from explorer.fake_s2 import FakeS2
from explorer.fake_s2.embeddings import vector_of

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


def get(fake: FakeS2, path: str) -> httpx.Response:
    return httpx.get(f"{fake.url}{path}", timeout=30)


def post(fake: FakeS2, path: str, body: object) -> httpx.Response:
    return httpx.post(f"{fake.url}{path}", json=body, timeout=30)


def test_forpaper_shape_default_fields_and_limit(fake):
    r = get(fake, f"/recommendations/v1/papers/forpaper/{TRANSFORMER}?limit=3")
    papers = r.json()["recommendedPapers"]
    assert r.status_code == 200 and len(papers) == 3
    assert all(set(p) == {"paperId", "title"} for p in papers)


def test_forpaper_errors_as_s2_answers_them(fake):
    over = get(fake, f"/recommendations/v1/papers/forpaper/{TRANSFORMER}?limit=501")
    assert (over.status_code, over.json()) == (
        400, {"error": "Unacceptable query params: [limit=501]"})
    pool = get(fake, f"/recommendations/v1/papers/forpaper/{TRANSFORMER}?from=all")
    assert pool.status_code == 400 and "from=all" in pool.json()["error"]
    unknown = get(fake, "/recommendations/v1/papers/forpaper/DOI:10.9999/none")
    assert unknown.status_code == 404
    embedded = get(fake, f"/recommendations/v1/papers/forpaper/{TRANSFORMER}?fields=embedding")
    assert embedded.status_code == 400  # not a field of a recommended paper


def test_recent_pool_holds_only_recent_papers(fake):
    years = [p["year"] for p in fake.corpus.papers.values() if isinstance(p.get("year"), int)]
    r = get(fake, f"/recommendations/v1/papers/forpaper/{TRANSFORMER}?limit=50&fields=year")
    assert min(p["year"] for p in r.json()["recommendedPapers"]) >= max(years) - 5


def test_lists_negative_only_is_400_and_unknown_positives_404(fake):
    only_negative = post(fake, "/recommendations/v1/papers/",
                         {"positivePaperIds": [], "negativePaperIds": [TRANSFORMER]})
    assert (only_negative.status_code, only_negative.json()) == (
        400, {"error": "No positive paper examples given"})
    unknown = post(fake, "/recommendations/v1/papers/", {"positivePaperIds": ["DOI:10.9/x"]})
    assert unknown.status_code == 404
    wrong_method = get(fake, "/recommendations/v1/papers/")
    assert wrong_method.status_code == 405


def test_negative_papers_push_their_neighbours_down(fake):
    liked = post(fake, "/recommendations/v1/papers/?limit=10",
                 {"positivePaperIds": [TRANSFORMER]}).json()["recommendedPapers"]
    top = liked[0]["paperId"]
    both = post(fake, "/recommendations/v1/papers/?limit=10",
                {"positivePaperIds": [TRANSFORMER], "negativePaperIds": [top]}).json()
    assert top not in [p["paperId"] for p in both["recommendedPapers"]]
    assert TRANSFORMER not in [p["paperId"] for p in liked]


def test_specter_v2_on_paper_and_batch_is_the_same_deterministic_vector(fake):
    one = get(fake, f"/graph/v1/paper/{TRANSFORMER}?fields=embedding.specter_v2").json()
    batch = httpx.post(f"{fake.url}/graph/v1/paper/batch?fields=embedding.specter_v2",
                       json={"ids": [TRANSFORMER]}, timeout=30).json()
    assert one["embedding"]["model"] == "specter_v2" and len(one["embedding"]["vector"]) == 768
    assert batch[0]["embedding"] == one["embedding"]
    assert vector_of({"title": "Attention"}) is not None and vector_of({"title": None}) is None


def test_batch_over_the_response_cap_is_refused_like_s2(fake):
    ids = list(fake.corpus.papers)[:500]
    fake.response_cap = 6_000_000  # 500 vectors are about 8 MB, 300 about 4.8 MB
    url = f"{fake.url}/graph/v1/paper/batch?fields=embedding.specter_v2"
    refused = httpx.post(url, json={"ids": ids}, timeout=60)
    assert refused.status_code == 400 and "exceed maximum size" in refused.json()["error"]
    assert httpx.post(url, json={"ids": ids[:300]}, timeout=60).status_code == 200


def test_recommendations_need_the_key_like_the_graph_api(fake):
    fake.api_key = "k"
    refused = get(fake, f"/recommendations/v1/papers/forpaper/{TRANSFORMER}")
    allowed = httpx.get(f"{fake.url}/recommendations/v1/papers/forpaper/{TRANSFORMER}",
                        headers={"x-api-key": "k"}, timeout=30)
    assert (refused.status_code, allowed.status_code) == (403, 200)
