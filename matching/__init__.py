"""Triage and matching: pure rule and scoring functions over plain data, candidate selection queries, and the
proposal workflow."""
