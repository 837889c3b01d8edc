"""The data_vault app's admin."""
