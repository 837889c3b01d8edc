from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Blockwork core"

    def ready(self) -> None:
        # Register every app's permission rules, so templates can name any of them.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("permissions")
        import core.schema  # noqa: F401  (registers the token scheme with drf-spectacular)
