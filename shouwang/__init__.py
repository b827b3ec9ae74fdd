"""Shouwang (守望): one system for the care of rural left-behind children."""
