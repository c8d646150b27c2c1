"""Accent folding for matching names typed by visitors and found in sources."""

import re
import unicodedata


def fold(value):
    """Lower case without accents or punctuation: « Saint-Aubin-de-Lanquais » matches
    « saint aubin de lanquais »."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", value).strip()
