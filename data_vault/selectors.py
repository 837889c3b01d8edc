"""The data_vault app's selectors."""
