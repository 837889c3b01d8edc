from django.apps import AppConfig


class DataVaultConfig(AppConfig):
    name = "data_vault"
    verbose_name = "Data Vault"
