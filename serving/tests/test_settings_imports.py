"""The settings import no application code: an app can import them, never the reverse."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import config.settings.{module}
print(json.dumps(sorted(sys.modules)))
"""


def our_packages():
    """The project's own top-level packages (apps, parsing, bench…), config aside."""
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"config"}
    }


@pytest.mark.parametrize("module", ["base", "test", "dev", "production"])
def test_the_settings_import_none_of_our_apps(module):
    environment = dict(os.environ, SECRET_KEY="x", ELASTICSEARCH_URL="http://127.0.0.1:9/")
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = {name.split(".")[0] for name in json.loads(done.stdout.strip().splitlines()[-1])}
    assert {"communes", "search", "serving", "themes"} <= our_packages()
    assert imported & our_packages() == set()
    assert "config" in imported
