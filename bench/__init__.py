"""Benchmarks: ``python -m bench`` runs them all and writes bench/results/latest.json and docs/performance.md."""
