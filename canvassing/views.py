"""The canvassing app's views."""
