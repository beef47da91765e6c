"""Tests of the web demo channel (bot/web)."""
