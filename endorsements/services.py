"""The endorsements app's services."""
