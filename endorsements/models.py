"""Models of the endorsements app."""
