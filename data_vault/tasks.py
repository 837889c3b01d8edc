"""The data_vault app's tasks."""
