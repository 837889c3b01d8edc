"""The endorsements app's forms."""
