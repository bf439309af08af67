"""Figures the suite prints at the end (pytest's terminal summary)."""
PRINTS: list[str] = []
