"""The committee app's views."""
