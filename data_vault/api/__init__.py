"""The vault's API: people and lists in people.py, imports in transfers.py."""

from data_vault.api import people, transfers

urlpatterns = [*people.urlpatterns, *transfers.urlpatterns]
