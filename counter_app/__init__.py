"""Quầy Một Cửa: the core of the commune one-stop counter (no Qt here)."""

__version__ = "0.1.0"
