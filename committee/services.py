"""The committee app's services."""
