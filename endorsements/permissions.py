"""The endorsements app's permissions."""
