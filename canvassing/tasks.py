"""The canvassing app's tasks."""
