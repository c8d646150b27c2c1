"""Index updates in the background (django-tasks): publishing never waits for the index."""

from django_tasks import task


@task()
def update_index(
    pages: list[int] | None = None,
    subtrees: list[int] | None = None,
    documents: list[int] | None = None,
    services: list[int] | None = None,
    removed: list[str] | None = None,
    service_source: str = "",
    occitan: list[str] | None = None,
) -> int:
    from search import indexing

    return indexing.update(
        pages=pages or [],
        subtrees=subtrees or [],
        documents=documents or [],
        services=services or [],
        removed=removed or [],
        service_source=service_source,
        occitan=occitan or [],
    )
