"""The Celery app: Redis as broker, late acks, one task prefetched at a time."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("blockwork")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
