"""Duplicate records."""
