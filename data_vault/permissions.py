"""The data_vault app's permissions."""
