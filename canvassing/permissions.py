"""The canvassing app's permissions."""
