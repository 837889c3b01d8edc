"""The vault's Celery tasks: thin wrappers that call services with ids."""

# Imports and whole-vault exports.


# People, lists, list exports and housekeeping.
