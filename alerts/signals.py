"""What may make news queues one sending run, after commit (so it sees the change): an
urgent banner saved or published, a council meeting published, a subscription confirmed."""

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.signals import page_published


def queue_sending():
    """A run is cheap and sends nothing twice (alerts.models.SentAlert): no need to merge
    the runs a transaction queues."""

    def run():
        from alerts.tasks import send_alerts_task

        send_alerts_task.enqueue()

    transaction.on_commit(run)


def _banner_saved(sender, instance, **kwargs):
    if instance.live and instance.level == sender.Level.URGENT:
        queue_sending()


def _meeting_published(sender, instance, **kwargs):
    queue_sending()


def connect():
    from communes.models import Banner, CouncilMeetingPage

    post_save.connect(_banner_saved, sender=Banner, dispatch_uid="alerts-banner")
    page_published.connect(
        _meeting_published, sender=CouncilMeetingPage, dispatch_uid="alerts-meeting"
    )
