"""Models of the data_vault app."""
