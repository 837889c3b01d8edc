"""The committee app's admin."""
