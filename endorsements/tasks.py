"""The endorsements app's tasks."""
