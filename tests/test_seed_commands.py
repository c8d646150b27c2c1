"""`make seed`, `make demo` and the Docker image's `seed` make the same demo: the same manage.py
commands, in the same order (a step added to one and forgotten in the other left Docker demos
without the directory and the application form). The steps themselves are
`manage.py seed`'s (sitefactory/services/seeding.py)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands(lines):
    return [re.sub(r"\s+", " ", line).strip() for line in lines if line.strip()]


def test_docker_seed_runs_the_commands_of_make_seed():
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^seed:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    make = _commands(line.replace("$(MANAGE)", "manage.py") for line in target.splitlines())

    script = (ROOT / "bin" / "docker-entrypoint.sh").read_text()
    case = re.search(r"^  seed\)\n(.*?)^    ;;", script, re.M | re.S).group(1)
    docker = _commands(
        line.replace("exec ", "").replace("python manage.py", "manage.py")
        for line in case.splitlines()
        if "manage.py" in line and "wait_for_migrations" not in line
    )
    assert make == docker
    assert make[0] == "manage.py seed"
    demo = re.search(r"^demo:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "$(MANAGE) seed\n" in demo
    assert "$(MANAGE) bake --all" in demo


def test_the_seed_runs_every_demo_step_in_order():
    from sitefactory.services.seeding import STEPS

    names = [name for name, _options in STEPS]
    assert names[:3] == ["load_registry", "provision", "create_demo_content"]
    for step in ("seed_directory", "seed_newcomers", "seed_applications", "seed_occitan"):
        assert step in names
    assert names[-1] == "seed_commune_photos"
