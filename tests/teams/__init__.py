"""Tests of the Teams channel (a package, so its conftest does not shadow tests/conftest.py)."""
