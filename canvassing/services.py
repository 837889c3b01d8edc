"""The canvassing app's services."""
