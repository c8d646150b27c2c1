"""Sending in the background (django-tasks): queued after commit by alerts.signals."""

from django_tasks import task


@task()
def send_alerts_task() -> str:
    from alerts.services.sending import send_alerts

    return send_alerts().summary
