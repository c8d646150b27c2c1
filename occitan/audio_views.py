"""The recordings, served to the player (placeholder: the audio work replaces it with a
Range-capable, review-aware view)."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from occitan.models import Recording


def audio(request, pk):
    recording = get_object_or_404(Recording, pk=pk)
    stored = recording.web_file or recording.original
    if not stored:
        raise Http404
    return FileResponse(
        stored.open("rb"), content_type=recording.web_mime_type or recording.mime_type or None
    )
