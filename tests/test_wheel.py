"""The built wheel carries static/ and content/ and works installed in a clean virtual environment."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RENDER_AND_SUBMIT = textwrap.dedent("""
    import json, django, webob
    django.setup()
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0)
    from workbench.runtime import WorkbenchRuntime
    import competency_xblock
    assert "site-packages" in competency_xblock.__file__, competency_xblock.__file__
    runtime = WorkbenchRuntime("wheel-learner")
    block = runtime.get_block(runtime.parse_xml_string('<competency_assessment pack_id="customer_service"/>'))
    html = runtime.render(block, "student_view").body_html()
    from django.utils import translation
    with translation.override("pl"):
        polish = runtime.render(block, "student_view")
    polish_js = "".join(resource.data for resource in polish.resources if resource.kind == "text")
    pack = block.load_pack()
    request = webob.Request.blank("/")
    request.method = "POST"
    request.body = json.dumps({"answers": {pack.items[0].id: pack.items[0].options[0].id}}).encode()
    response = runtime.handle(block, "save_answers", request)
    answers = {item.id: item.options[0].id if item.options else 3 for item in pack.items}
    submit = webob.Request.blank("/", method="POST", body=json.dumps({"answers": answers}).encode())
    result = json.loads(runtime.handle(block, "submit", submit).body)
    print(json.dumps({"fieldsets": html.count("<fieldset"), "items": len(pack.items),
                      "save_status": response.status_code, "dimensions": len(pack.dimensions),
                      "chart_bars": result["result_html"].count('class="ca-chart-bar"'),
                      "polish_button": "Wyślij odpowiedzi" in polish.body_html(),
                      "polish_js": "Odpowiedzi: %(done)s z %(total)s" in polish_js}))
""")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("competency_xblock-*.whl")
    return built


def test_wheel_contains_static_content_and_entry_points(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    # static/ and content/ are at the checkout's top level and inside the installed package
    for folder in ("static", "content"):
        in_checkout = {f"competency_xblock/{path.relative_to(ROOT).as_posix()}"
                       for path in (ROOT / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts}
        assert in_checkout and in_checkout <= set(names), sorted(in_checkout - set(names))
    assert "competency_xblock/content/customer_service.yaml" in names
    assert "competency_xblock/content/schema.json" in names
    assert "competency_xblock/static/js/assessment.js" in names
    assert "competency_xblock/static/html/assessment.html" in names
    # Open edX reads an installed block's catalogue from <root module>/translations/<lang>/LC_MESSAGES/text.mo
    # (XBlockI18nService.get_python_locale, xmodule/modulestore/django.py); the JS one is the block's own.
    languages = sorted(path.name for path in (ROOT / "competency_xblock" / "conf" / "locale").iterdir()
                       if (path / "LC_MESSAGES" / "text.po").is_file())
    assert "pl" in languages
    for language in languages:
        assert f"competency_xblock/translations/{language}/LC_MESSAGES/text.mo" in names, language
        assert f"competency_xblock/static/js/translations/{language}.js" in names, language
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "competency_assessment = competency_xblock:CompetencyAssessmentBlock" in entry_points
    assert "competency-xblock = competency_xblock.cli:main" in entry_points
    # the Django app Open edX installs by itself, so that its Celery workers find the cohort job
    assert "[lms.djangoapp]\ncompetency_xblock = competency_xblock.platform.apps:CompetencyXBlockConfig" in entry_points


def test_wheel_installs_and_renders_in_a_clean_environment(wheel, tmp_path):
    # Nothing of the checkout may leak in: PYTHONPATH would make pip see the editable install.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    python = venv / "bin" / "python"
    requirements = ROOT / "requirements" / "dev.txt"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(requirements), str(wheel)],
                   check=True, capture_output=True, cwd=tmp_path, env=env)
    validate = subprocess.run([str(venv / "bin" / "competency-xblock"), "validate"],
                              capture_output=True, text=True, cwd=tmp_path, env=env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "ok (customer_service v" in validate.stderr  # the wheel carries the pack
    env.update(DJANGO_SETTINGS_MODULE="workbench.settings",
               WORKBENCH_DATABASES='{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "wb.db"}}')
    (tmp_path / "var").mkdir()
    run = subprocess.run([str(python), "-c", RENDER_AND_SUBMIT], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["fieldsets"] == figures["items"] > 0
    assert figures["save_status"] == 200
    assert figures["chart_bars"] == figures["dimensions"]  # the result page's chart: the tag library, from the wheel
    # Polish from the installed package's translations/ folder, under the SDK's plain i18n service
    assert figures["polish_button"] and figures["polish_js"]
