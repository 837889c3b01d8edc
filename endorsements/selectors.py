"""The endorsements app's selectors."""
