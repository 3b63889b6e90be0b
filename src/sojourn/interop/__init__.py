"""Interoperability with the FollowTheMoney world: FtM JSON lines, and a yente-compatible match API.

* ``yente``: pure — a yente match request parsed into screening queries, list entries written
  as FtM entity dicts, explanations, the response (no Django, no database).
* ``countries``: ISO 3166-1 alpha-3 (Sojourn) ↔ lower-case alpha-2 (FtM).
* ``services``: the audited match, catalog and entity reads over the screening index.
* ``api``: the second Ninja API, mounted at the site root (``/match/{dataset}`` and friends).
* ``ftm`` (with ``ftm_read``, ``ftm_tables``, ``ftm_lists``, ``ftm_export``): FtM JSON lines,
  ``sojourn export ftm`` and ``sojourn import ftm``, built and validated with the followthemoney
  library. Only those commands import these modules, so nothing else loads the library
  (docs/decisions/0006-followthemoney-dependency.md); the yente side writes its entities by hand.
"""
