"""Settings of the Occitan section (docs/occitan.md), read from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

# Uploaded recordings (occitan.services.audio): refused past this size or this duration.
OCCITAN_AUDIO_MAX_BYTES = int(os.environ.get("OCCITAN_AUDIO_MAX_BYTES", str(20 * 1024 * 1024)))
OCCITAN_AUDIO_MAX_SECONDS = int(os.environ.get("OCCITAN_AUDIO_MAX_SECONDS", "600"))
if OCCITAN_AUDIO_MAX_BYTES < 1 or OCCITAN_AUDIO_MAX_SECONDS < 1:
    raise ImproperlyConfigured("OCCITAN_AUDIO_MAX_BYTES and OCCITAN_AUDIO_MAX_SECONDS must be ≥ 1.")
# The web copy made by ffmpeg: Ogg/Opus, mono, this bitrate (kbit/s).
OCCITAN_AUDIO_WEB_KBPS = int(os.environ.get("OCCITAN_AUDIO_WEB_KBPS", "40"))

# Apertium's Gascon mode, for the lexicon's suggestions beside APERTIUM_OCCITAN_MODE (base.py).
APERTIUM_GASCON_MODE = os.environ.get("APERTIUM_GASCON_MODE", "").strip() or "fra-oci_gascon"
