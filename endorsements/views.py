"""The endorsements app's views."""
