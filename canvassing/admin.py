"""The canvassing app's admin."""
