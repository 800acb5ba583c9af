"""Pure SQL that reads S2AG shards (gzip JSON lines) into typed rows, one query per dataset.

Every query reads the files bound to its one parameter (a list of paths) with explicit column
types, so a stray key is ignored and a value of the wrong type is an error naming the file.
The rows are those of the local graph's tables before they are joined, collapsed and sorted
(see :mod:`explorer.s2ag.tables`): string corpus ids become BIGINT, both shapes of
``intents`` become one flat list in first-seen order, null lists become empty ones.
"""

from __future__ import annotations

DATASETS = ("papers", "abstracts", "citations", "paper-ids")
"""The datasets of a release, as the Datasets API names them (and their folders)."""

_READ = "read_json(?, format='newline_delimited', compression='gzip', columns={columns})"


def _reader(columns: dict[str, str]) -> str:
    spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
    return _READ.format(columns="{" + spec + "}")


def _first_seen(expr: str) -> str:
    """``expr`` (a list) without nulls and repeats, in the order first seen."""
    return f"list_filter({expr}, lambda x, i: x IS NOT NULL AND list_position({expr}, x) = i)"


_EXTERNAL = "STRUCT(category VARCHAR, source VARCHAR)[]"

PAPERS = f"""
SELECT corpusid, title, "year", venue, publicationdate, referencecount, citationcount,
       influentialcitationcount, isopenaccess,
       nullif({_first_seen("list_transform(list_filter(coalesce(s2fieldsofstudy, []), "
                          "lambda f: f.source = 'external'), lambda f: f.category)")}, [])
           AS fieldsofstudy,
       publicationtypes,
       coalesce(authors, '[]')::VARCHAR AS authors,
       json_merge_patch(json_merge_patch('{{}}', coalesce(externalids, '{{}}')),
                        json_object('CorpusId', CAST(externalids->>'CorpusId' AS BIGINT)))::VARCHAR
           AS externalids,
       journal::VARCHAR AS journal, url,
       lower(externalids->>'DOI') AS doi,
       regexp_replace(lower(externalids->>'ArXiv'), 'v[0-9]+$', '') AS arxiv,
       lower(externalids->>'ACL') AS acl
FROM {_reader({
    "corpusid": "BIGINT", "externalids": "JSON", "url": "VARCHAR", "title": "VARCHAR",
    "authors": "JSON", "venue": "VARCHAR", "year": "INTEGER", "referencecount": "INTEGER",
    "citationcount": "INTEGER", "influentialcitationcount": "INTEGER",
    "isopenaccess": "BOOLEAN", "s2fieldsofstudy": _EXTERNAL, "publicationtypes": "VARCHAR[]",
    "publicationdate": "DATE", "journal": "JSON",
})}
"""

ABSTRACTS = f"""
SELECT corpusid, abstract,
       CASE WHEN openaccessinfo.url IS NULL THEN NULL
            ELSE json_object('url', openaccessinfo.url, 'status', openaccessinfo.status,
                             'license', openaccessinfo.license)::VARCHAR END AS openaccesspdf
FROM {_reader({
    "corpusid": "BIGINT", "abstract": "VARCHAR",
    "openaccessinfo": "STRUCT(license VARCHAR, url VARCHAR, status VARCHAR)",
})}
"""

_FLAT_INTENTS = (
    "coalesce(CASE WHEN json_type(intents, '$[0]') = 'ARRAY' "
    "THEN json_extract_string(intents, '$[*][*]') "
    "ELSE json_extract_string(intents, '$[*]') END, [])"
)

CITATIONS = f"""
SELECT citationid, CAST(citingcorpusid AS BIGINT) AS citing,
       CAST(citedcorpusid AS BIGINT) AS cited, coalesce(isinfluential, false) AS isinfluential,
       CASE WHEN citedcorpusid IS NULL THEN [] ELSE coalesce(contexts, []) END AS contexts,
       CASE WHEN citedcorpusid IS NULL THEN [] ELSE {_first_seen(_FLAT_INTENTS)} END AS intents
FROM {_reader({
    "citationid": "BIGINT", "citingcorpusid": "VARCHAR", "citedcorpusid": "VARCHAR",
    "isinfluential": "BOOLEAN", "contexts": "VARCHAR[]", "intents": "JSON",
})}
"""
"""Unresolved references (null ``cited``) are kept here, without their text, to be counted."""

PAPER_IDS = f"""
SELECT lower(sha) AS sha, corpusid, coalesce("primary", false) AS "primary"
FROM {_reader({"sha": "VARCHAR", "corpusid": "BIGINT", "primary": "BOOLEAN"})}
"""

READ = {"papers": PAPERS, "abstracts": ABSTRACTS, "citations": CITATIONS, "paper-ids": PAPER_IDS}
"""The query that reads each dataset's shards."""

DELETES = {
    "papers": f"SELECT corpusid FROM {_reader({'corpusid': 'BIGINT'})}",
    "abstracts": f"SELECT corpusid FROM {_reader({'corpusid': 'BIGINT'})}",
    "paper-ids": f"SELECT lower(sha) AS sha FROM {_reader({'sha': 'VARCHAR'})}",
    "citations": f"""
        SELECT CAST(citingcorpusid AS BIGINT) AS citing, CAST(citedcorpusid AS BIGINT) AS cited
        FROM {_reader({'citingcorpusid': 'VARCHAR', 'citedcorpusid': 'VARCHAR'})}
        WHERE citedcorpusid IS NOT NULL""",
}
"""The query that reads each dataset's delete files of a diff: the keys only."""

KEYS = {"papers": ["corpusid"], "abstracts": ["corpusid"], "paper-ids": ["sha"],
        "citations": ["citing", "cited"]}
"""Each dataset's primary key, by which a diff's updates and deletes apply."""
