"""Deterministic synthetic data at any scale (DESIGN.md §10).

``sojourn.synth.dataset.generate_registry`` builds units, officials, relatives and post
changes, documents, watchlists, trips and custody history (``sojourn.synth.travel``) and a
crossing feed of any size (``sojourn.synth.feed``, streamed); ``write_registry`` writes them as
the import files of DESIGN.md §6 (crossings as Parquet parts) with a ``manifest.json`` of the
injected anomalies. ``sojourn synth`` is the command-line front; ``sojourn.synth.travel.
write_engine_inputs`` writes the batch engine's tables directly, for benchmarks.
"""
