"""The pure core: documents, names and rules as plain functions over plain data.

Nothing under ``sojourn.core`` imports Django, a database driver or the batch engine.
"""
