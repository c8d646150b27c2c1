from django.apps import AppConfig


class ServingConfig(AppConfig):
    """What every page view stands on: the content version, pages served from memory, and
    the signals that keep the two in step with the content."""

    name = "serving"

    def ready(self):
        from django.conf import settings
        from django.core import checks
        from django.core.signals import got_request_exception
        from django.db.backends.signals import connection_created

        from serving import replica
        from serving.checks import check_cached_serving
        from serving.signals import connect
        from serving.siteurls import install

        connect()
        install()
        checks.register(check_cached_serving, checks.Tags.models)
        if replica.enabled():
            connection_created.connect(replica.forget_replica_position)
            got_request_exception.connect(replica.request_failed)
        if settings.BAKING_ENABLED:
            from serving.baking.schedule import on_change
            from serving.cache import on_change as listen

            listen(on_change)
