"""The data_vault app's views."""
