"""The Amparo benchmark: `python -m tests.bench` (or `make bench`) writes reports/bench/."""
