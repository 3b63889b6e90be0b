"""Sojourn: oversight of officials' travel abroad."""

__version__ = "0.1.0"
