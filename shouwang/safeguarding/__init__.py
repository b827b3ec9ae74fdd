"""Safeguarding."""
