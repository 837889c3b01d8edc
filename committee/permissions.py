"""The committee app's permissions."""
