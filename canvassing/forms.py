"""The canvassing app's forms."""
