"""``python -m explorer.fake_s2``: serve the fakes from a corpus until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from explorer.fake_s2.corpus import corpus_file
from explorer.fake_s2.faults import LIMITS
from explorer.fake_s2.server import FakeArxiv, FakeS2
from explorer.fake_s2.zotero import SAMPLE_LIBRARY, FakeZotero

_EPILOG = """\
example:
  python -m explorer.fake_s2 --corpus data/s2-sample --port 8765 --arxiv-port 8766
  # then, in another shell, paste the printed exports:
  export S2_API_URL=http://127.0.0.1:8765
  export ARXIV_API_URL=http://127.0.0.1:8766
  python -m explorer.fake_s2 --corpus data/s2-sample --zotero-port 8767   # and a Zotero
  python -m explorer.fake_s2 --corpus data/s2-sample --openalex-port 8768 --openalex-citers 5000
  python -m explorer.s2ag.shards --corpus data/s2-sample --out /tmp/s2ag --newer 2026-12-01
  python -m explorer.fake_s2 --corpus data/s2-sample --datasets /tmp/s2ag --api-key k
  # the Datasets API: $S2_API_URL/datasets/v1/release/latest (links need x-api-key: k)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m explorer.fake_s2",
        description="Serve a fake Semantic Scholar Graph API and arXiv API on 127.0.0.1 "
        "from an offline corpus, until Ctrl-C.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, help="directory with papers.jsonl and "
                        "citations.jsonl, plain or .gz (default: an empty corpus)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="S2 port (8765; 0: any)")
    parser.add_argument("--arxiv-port", type=int, help="serve arXiv on its own port too "
                        "(default: the S2 server answers /api/query itself)")
    parser.add_argument("--api-key", help="require this x-api-key (403 otherwise)")
    parser.add_argument("--rate-limit", type=float, help="requests a second per key; 429 past it")
    parser.add_argument("--strict-interval", type=float, metavar="SECONDS",
                        help="S2's strict limiter: 429 to a request of a key arriving less than "
                        "this after the previous accepted one (off)")
    parser.add_argument("--strict-limit", choices=LIMITS, default="arrival",
                        help="what --strict-interval counts from: the previous request's "
                        "arrival, as S2 documents it, or its answer (arrival)")
    parser.add_argument("--zotero-port", type=int,
                        help="also serve a fake Zotero local API on this port (0: any)")
    parser.add_argument("--zotero-library", type=Path,
                        help="its library file (default: data/zotero-sample/library.json)")
    parser.add_argument("--datasets", type=Path, metavar="ROOT",
                        help="serve the Datasets API (/datasets/v1) from this folder of S2AG "
                        "releases (ROOT/<release>/<dataset>/*.gz, ROOT/diffs/...)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="milliseconds every answer waits before it goes out (0)")
    parser.add_argument("--openalex-port", type=int,
                        help="serve a fake OpenAlex of the same corpus on this port too")
    parser.add_argument("--openalex-key", default="demo-openalex-key",
                        help="the api_key the fake OpenAlex accepts (demo-openalex-key)")
    parser.add_argument("--openalex-citers", type=int, default=0, metavar="N",
                        help="citers only OpenAlex knows, of the corpus's most cited paper (0)")
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the fakes until interrupted; print the base URLs and the environment exports."""
    args = _parser().parse_args(argv)
    if args.corpus is not None and corpus_file(args.corpus, "papers.jsonl") is None:
        print(f"error: no papers.jsonl or papers.jsonl.gz in {args.corpus}", file=sys.stderr)
        return 1
    if args.datasets is not None and not args.datasets.is_dir():
        print(f"error: no folder {args.datasets}", file=sys.stderr)
        return 1
    s2 = FakeS2(args.corpus, api_key=args.api_key, rate_limit=args.rate_limit,
                strict_interval=args.strict_interval, strict_limit=args.strict_limit,
                latency=args.latency_ms / 1000, host=args.host, datasets=args.datasets)
    arxiv = FakeArxiv(corpus=s2.corpus, host=args.host) if args.arxiv_port is not None else None
    zotero = (FakeZotero(args.zotero_library or SAMPLE_LIBRARY, host=args.host)
              if args.zotero_port is not None else None)
    openalex = None
    if args.openalex_port is not None:
        # Imported here: the fake OpenAlex is built on this package's server and corpus.
        from explorer.fake_openalex.server import FakeOpenAlex, with_citers

        openalex = with_citers(FakeOpenAlex(corpus=s2.corpus, api_key=args.openalex_key,
                                            host=args.host), args.openalex_citers)
    try:
        s2_url = s2.start(args.port)
        arxiv_url = arxiv.start(args.arxiv_port) if arxiv else s2_url
        if zotero:
            zotero.start(args.zotero_port)
        openalex_url = openalex.start(args.openalex_port) if openalex else None
    except OSError as err:
        print(f"error: cannot listen: {err}", file=sys.stderr)
        for server in (s2, arxiv, zotero, openalex):
            if server is not None:
                server.stop()
        return 1
    print(f"Fake Semantic Scholar: {s2_url}  ({len(s2.corpus)} papers, "
          f"{s2.corpus.edge_count} edges)")
    print(f"Fake arXiv:            {arxiv_url}")
    if s2.datasets is not None:
        print(f"Fake Datasets API:     {s2_url}/datasets/v1  "
              f"({len(s2.datasets.releases())} releases)")
    print(f"export S2_API_URL={s2_url}")
    print(f"export ARXIV_API_URL={arxiv_url}")
    if args.api_key:
        print(f"export S2_API_KEY={args.api_key}")
    if zotero:
        print(f"export ZOTERO_API_URL={zotero.api_url}")
    if openalex is not None:
        print(f"export OPENALEX_API_URL={openalex_url}  # {len(openalex.works.works)} works")
        print(f"export OPENALEX_API_KEY={args.openalex_key}")
    print("Serving until Ctrl-C.", flush=True)
    # A shell's background job inherits SIGINT ignored (and `make demo` stops it with
    # SIGTERM): either signal ends the serving, whatever the parent left in place.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        s2.stop()
        for server in (arxiv, zotero, openalex):
            if server is not None:
                server.stop()
    return 0
