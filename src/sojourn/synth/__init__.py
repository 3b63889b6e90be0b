"""Deterministic synthetic data at any scale (DESIGN.md §10).

``sojourn.synth.dataset.generate_registry`` builds units, officials, relatives and post
changes; ``write_registry`` writes them as the import files of DESIGN.md §6 with a
``manifest.json`` of the injected anomalies. ``sojourn synth`` is the command-line front.
"""
