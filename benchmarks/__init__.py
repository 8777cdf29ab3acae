"""Benchmarks: each measures ours beside a baseline in the same run (see RESULTS.md)."""
