"""Interoperability with the FollowTheMoney world: a yente-compatible match API over Sojourn's screening.

* ``yente``: pure — a yente match request parsed into screening queries, list entries written
  as FtM entity dicts, explanations, the response (no Django, no database).
* ``countries``: ISO 3166-1 alpha-3 (Sojourn) ↔ lower-case alpha-2 (FtM).
* ``services``: the audited match, catalog and entity reads over the screening index.
* ``api``: the second Ninja API, mounted at the site root (``/match/{dataset}`` and friends).

FtM entities are built by hand: the followthemoney library is not a dependency
(docs/decisions/0006-followthemoney-dependency.md).
"""
