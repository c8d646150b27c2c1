import os

import pytest

from search import engines

# The search tests run on the database's own engine, and on Elasticsearch as well when
# ELASTICSEARCH_URL names a server (none can run on the CI machine: see README, Search).
ENGINES = ["database"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


def pytest_report_header(config):
    if "elasticsearch" in ENGINES:
        return "search engines: database, elasticsearch"
    return "search engines: database (set ELASTICSEARCH_URL to run them on Elasticsearch too)"


@pytest.fixture(params=ENGINES)
def search_engine(request, settings, db):
    engines._engines.clear()
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        settings.ELASTICSEARCH_INDEX = f"bastide-test-{os.getpid()}"
        settings.ELASTICSEARCH_REFRESH = True
    else:
        settings.ELASTICSEARCH_URL = ""
    engine = engines.get_engine()
    engine.clear()
    yield engine
    if engine.name == "elasticsearch":
        engine.drop()
    else:
        engine.clear()
    engines._engines.clear()
