"""The committee app's selectors."""
