"""Models of the canvassing app."""
