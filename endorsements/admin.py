"""The endorsements app's admin."""
