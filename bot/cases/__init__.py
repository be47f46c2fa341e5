"""Escalation: cases handed to consular or humanitarian staff, kept durably in Redis."""
