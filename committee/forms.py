"""The committee app's forms."""
