from django.apps import AppConfig


class CanvassingConfig(AppConfig):
    name = "canvassing"
    verbose_name = "Canvassing"
