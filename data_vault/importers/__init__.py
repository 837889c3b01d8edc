"""Imports of voter files and contact lists: reading, presets, normalizing, matching and merging."""
