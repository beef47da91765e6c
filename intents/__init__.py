"""Understanding questions: text → a scored `Query` (intent, indicator, places, period), with
deterministic synonym tables and rapidfuzz — no LLM, no network."""
