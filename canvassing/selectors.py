"""The canvassing app's selectors."""
