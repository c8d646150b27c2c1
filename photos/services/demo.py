"""The demo's sync: against the replay server (photos/replay.py), never the internet."""

from django.test import override_settings

from photos.replay import ReplayServer
from photos.services import sync


def seed_photos(codes=None):
    """Start the replay server, point the settings at it, sync, stop it. Idempotent: a
    second run finds every file unchanged. The images are marked demo stand-ins."""
    with ReplayServer() as server, override_settings(**server.settings()):
        return sync.sync(sync.communes(codes), demo=True)
