"""The data_vault app's services."""
