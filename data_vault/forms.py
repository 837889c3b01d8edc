"""The data_vault app's forms."""
