"""The committee app's tasks."""
