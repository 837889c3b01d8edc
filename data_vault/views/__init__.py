"""The vault's pages: people, lists and exports in people.py, imports and whole-vault exports in transfers.py."""
