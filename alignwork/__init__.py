"""Alignwork core: no Qt here, ever (tests/test_layering.py enforces it)."""

__version__ = "0.1.0"
