"""Amparo: a multilingual crisis-help bot for migrants."""
