"""
Where installed packs come from: this package, other installed distributions (entry point group
``competency_xblock.packs``), folders the operator names (Django setting, environment variable).
The same id in two places is an error for staff and the CLI, never a silent choice.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from competency_xblock.cli import main
from competency_xblock.domain.pack_library import PackLibrary, PackSource
from competency_xblock.domain.pack_loader import CONTENT_DIR, PackError, load_pack_file
from competency_xblock.platform import pack_sources

from .conftest import TEAMWORK_PATH, answer_set

ROOT = Path(__file__).resolve().parent.parent
PACKS = Path(__file__).parent / "packs"


@pytest.fixture
def fresh_library(monkeypatch):
    """The installed library built again for this test (it is remembered per process otherwise)."""
    monkeypatch.delenv(pack_sources.FOLDERS_ENVIRONMENT_VARIABLE, raising=False)
    pack_sources._library.cache_clear()   # pylint: disable=protected-access
    yield
    pack_sources._library.cache_clear()   # pylint: disable=protected-access


def folder_with(tmp_path: Path, name: str, *packs: Path) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for pack in packs:
        shutil.copy(pack, folder)
    return folder


def test_shipped_packs_come_first_and_alone_by_default(fresh_library, settings):
    settings.COMPETENCY_XBLOCK_PACK_DIRS = []
    library = pack_sources.installed_library()
    assert library.sources[0] == PackSource("shipped with competency-xblock", CONTENT_DIR)
    assert "customer_service" in library.pack_ids()
    assert library.problems() == []


def test_operator_folders_from_the_setting_and_the_environment(fresh_library, settings, monkeypatch, tmp_path):
    from_setting = folder_with(tmp_path, "setting", PACKS / "mini.yaml")
    from_environment = folder_with(tmp_path, "environment", TEAMWORK_PATH)
    settings.COMPETENCY_XBLOCK_PACK_DIRS = [str(from_setting)]
    monkeypatch.setenv(pack_sources.FOLDERS_ENVIRONMENT_VARIABLE, os.pathsep.join([str(from_environment), ""]))
    library = pack_sources.installed_library()
    labels = {entry.pack_id: entry.source.label for entry in library.entries()}
    assert labels["mini"] == f"folder {from_setting} (setting COMPETENCY_XBLOCK_PACK_DIRS)"
    assert labels["teamwork"] == f"folder {from_environment} (environment variable COMPETENCY_XBLOCK_PACK_DIRS)"
    assert library.get("teamwork").name["en"] == "Teamwork"
    assert library.get("mini").id == "mini"


def test_a_folder_that_does_not_exist_is_reported(fresh_library, settings, tmp_path):
    settings.COMPETENCY_XBLOCK_PACK_DIRS = [str(tmp_path / "nowhere")]
    (problem,) = pack_sources.installed_library().problems()
    assert problem.file == f"folder {tmp_path / 'nowhere'} (setting COMPETENCY_XBLOCK_PACK_DIRS)"
    assert problem.message == "the folder does not exist or is not a folder"


def test_the_same_id_in_two_sources_is_an_error_not_a_choice(tmp_path):
    first = folder_with(tmp_path, "first", PACKS / "mini.yaml")
    second = folder_with(tmp_path, "second", PACKS / "mini.yaml")
    library = PackLibrary([PackSource("first folder", first), PackSource("second folder", second)])
    with pytest.raises(PackError) as caught:
        library.get("mini")
    message = str(caught.value)
    assert "the pack id 'mini' is in 2 places" in message
    assert f"first folder ({first / 'mini.yaml'})" in message and f"second folder ({second / 'mini.yaml'})" in message
    assert [str(issue) for issue in library.problems()] == [message]


def test_a_duplicate_shows_staff_the_error_and_learners_the_friendly_panel(tmp_path, monkeypatch, learner, staff):
    shipped = PackSource("shipped with competency-xblock", CONTENT_DIR)
    copy = folder_with(tmp_path, "operator", CONTENT_DIR / "customer_service.yaml")
    library = PackLibrary([shipped, PackSource(f"folder {copy}", copy)])
    monkeypatch.setattr(pack_sources, "installed_library", lambda: library)
    block = learner.load('<competency_assessment pack_id="customer_service"/>')
    html = learner.render(block)
    assert "not available right now" in html and "2 places" not in html
    assert "is in 2 places" in staff.render(staff.block(block.scope_ids.usage_id))
    status, body = learner.call(block, "submit", {"answers": {}})
    assert status == 503 and "not available" in body["error"]


def test_cli_packs_lists_source_and_validity_and_fails_on_a_duplicate(fresh_library, settings, tmp_path, capsys):
    operator = folder_with(tmp_path, "operator", TEAMWORK_PATH, CONTENT_DIR / "customer_service.yaml")
    (operator / "broken.yaml").write_text("id: broken\nversion: [\n", encoding="utf-8")
    settings.COMPETENCY_XBLOCK_PACK_DIRS = [str(operator)]
    assert main(["packs"]) == 1
    out = capsys.readouterr().out
    assert "teamwork          valid      folder" in out
    assert "12 items, 4 dimensions" in out
    assert out.count("customer_service  DUPLICATE") == 2
    assert "broken            INVALID    folder" in out and f"{operator / 'broken.yaml'}:3: invalid YAML" in out
    assert "problem: " in out and "the pack id 'customer_service' is in 2 places" in out
    assert main(["validate"]) == 1   # validate with no paths checks every installed pack, and the sources


def test_cli_packs_exits_0_when_every_pack_is_valid(fresh_library, settings, capsys):
    settings.COMPETENCY_XBLOCK_PACK_DIRS = [str(PACKS), str(TEAMWORK_PATH.parent)]
    assert main(["packs"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "STATUS", "SOURCE"]
    assert [line.split()[:2] for line in out[1::2]] == [
        ["customer_service", "valid"], ["mini", "valid"], ["teamwork", "valid"]]


# ----- a pack shipped by another installed distribution ---------------------------------------------

SETUP_PY = textwrap.dedent("""
    from setuptools import setup
    setup(
        name="acme-packs", version="0.1",
        packages=["acme_packs", "acme_packs.packs"],
        package_data={"acme_packs.packs": ["*.yaml"]},
        entry_points={"competency_xblock.packs": [
            "teamwork = acme_packs.packs",
            "lost = acme_packs.no_such_package",   # names no folder: reported, not fatal
        ]},
    )
""")

TAKE_THE_PACK = textwrap.dedent("""
    import json, django, webob
    django.setup()
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("createcachetable", verbosity=0)   # the submit's attempt claim
    from workbench.runtime import WorkbenchRuntime
    runtime = WorkbenchRuntime("acme-learner")
    block = runtime.get_block(runtime.parse_xml_string('<competency_assessment pack_id="teamwork"/>'))
    html = runtime.render(block, "student_view").body_html()
    answers = json.loads(ANSWERS)
    submit = webob.Request.blank("/", method="POST", body=json.dumps({"answers": answers}).encode())
    response = runtime.handle(block, "submit", submit)
    print(json.dumps({"fieldsets": html.count("<fieldset"), "status": response.status_code,
                      "level": json.loads(response.body).get("level"), "source": block.load_pack().source,
                      "has_scene": "A colleague has been unable to run a report" in html}))
""")


@pytest.fixture(scope="module")
def acme_site(tmp_path_factory) -> Path:
    """A separate distribution, acme-packs, shipping the teamwork pack, pip-installed into a folder."""
    source = tmp_path_factory.mktemp("acme-packs-src")
    (source / "setup.py").write_text(SETUP_PY, encoding="utf-8")
    package = source / "acme_packs" / "packs"
    package.mkdir(parents=True)
    (source / "acme_packs" / "__init__.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text("", encoding="utf-8")
    shutil.copy(TEAMWORK_PATH, package)
    site = tmp_path_factory.mktemp("acme-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(source)], check=True, capture_output=True)
    assert (site / "acme_packs" / "packs" / "teamwork.yaml").is_file()
    return site


def run_with(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != pack_sources.FOLDERS_ENVIRONMENT_VARIABLE}
    env.update(PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]), DJANGO_SETTINGS_MODULE="workbench_demo.settings",
               WORKBENCH_DATABASES=json.dumps({"default": {"ENGINE": "django.db.backends.sqlite3",
                                                           "NAME": str(cwd / "wb.db")}}))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_an_installed_distribution_ships_a_pack_that_is_listed(acme_site, tmp_path):
    listed = run_with(acme_site, tmp_path, "-m", "competency_xblock.cli", "packs")
    lines = listed.stdout.splitlines()
    assert any(line.split()[:2] == ["teamwork", "valid"]
               and line.endswith("acme-packs 0.1 (entry point teamwork = acme_packs.packs)") for line in lines), lines
    assert f"{acme_site / 'acme_packs' / 'packs' / 'teamwork.yaml'}: teamwork v1, 12 items" in listed.stdout
    assert ("problem: acme-packs 0.1 (entry point lost = acme_packs.no_such_package): the entry point's value "
            "'acme_packs.no_such_package' names no package folder") in listed.stdout
    assert listed.returncode == 1   # because of the entry point that names no folder


def test_a_block_takes_the_pack_of_an_installed_distribution(acme_site, tmp_path):
    teamwork = load_pack_file(TEAMWORK_PATH)
    script = f"ANSWERS = {json.dumps(json.dumps(answer_set(teamwork, 'best')))}\n" + TAKE_THE_PACK
    run = run_with(acme_site, tmp_path, "-c", script)
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["fieldsets"] == len(teamwork.items)
    assert figures["has_scene"] is True
    assert figures["status"] == 200 and figures["level"] == 3
    assert figures["source"] == str(acme_site / "acme_packs" / "packs" / "teamwork.yaml")
