"""The recordings' web copies, made in the background (django-tasks): saving a recording
never waits for ffmpeg."""

from django_tasks import task


@task()
def make_web_copy(recording_id: int, original_name: str = "") -> str:
    from occitan.services.web_copy import make_web_copy as make

    return make(recording_id, original_name)
