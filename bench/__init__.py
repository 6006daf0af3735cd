"""Benchmarks: quality against the shared eval files, and speed. Run with `python -m bench.<name>`."""
