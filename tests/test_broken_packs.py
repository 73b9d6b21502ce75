"""A corpus of broken packs: the CLI names FILE:LINE: message; the block stays friendly."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from competency_xblock.cli import main
from competency_xblock.domain.pack_library import PackLibrary

BROKEN = sorted((Path(__file__).parent / "packs" / "broken").glob("*.yaml"))
EXPECTED = {
    "invalid_yaml": "invalid YAML",
    "missing_field": "'category' is a required property",
    "wrong_type": "'two' is not of type 'integer'",
    "duplicate_ids": "duplicate item id 'c_scene'",
    "dimension_without_items": "dimension 'empty' has 0 items",
    "cut_scores_out_of_order": "cut scores must rise",
    "non_http_link": "is not an http(s) URL",
    "unknown_language": "language 'xx' is not among the pack's languages",
    "not_a_mapping": "a pack must be a YAML mapping",
    # the validator's former defects; test_validator_messages checks their exact lines
    "unknown_fields": "colour: unknown field",
    "missing_item_field": "items[1]: 'behaviour' is a required property",
    "problems_far_apart": "items[10].weight: 'heavy' is not of type 'number'",
    "file_name_differs_from_id": "differs from the file name",
}


def test_corpus_covers_every_case():
    assert {path.stem for path in BROKEN} == set(EXPECTED)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_cli_refuses_with_file_line_message(path, capsys):
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines, "no error printed"
    for line in lines:
        assert re.match(rf"^{re.escape(str(path))}:\d+: .+", line), line
    assert any(EXPECTED[path.stem] in line for line in lines)


def test_cli_accepts_the_installed_packs_and_the_test_pack(capsys):
    assert main(["validate"]) == 0
    mini = str(Path(__file__).parent / "packs" / "mini.yaml")
    # The test pack keeps the old cuts 50/80 that random answering reaches half the time (see
    # test_chance.py); with cuts above its chance range it passes.
    assert main(["validate", mini, "--cut-scores", "90", "95"]) == 0
    assert capsys.readouterr().out == ""


def test_console_script_exit_codes():
    ok = subprocess.run([sys.executable, "-m", "competency_xblock.cli", "validate"], capture_output=True)
    bad = subprocess.run([sys.executable, "-m", "competency_xblock.cli", "validate", *map(str, BROKEN)],
                         capture_output=True, text=True)
    assert ok.returncode == 0
    assert bad.returncode == 1
    assert len(bad.stdout.splitlines()) >= len(BROKEN)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_block_with_a_broken_pack_is_friendly(path, tmp_path, monkeypatch, learner, staff):
    shutil.copy(path, tmp_path / "customer_service.yaml")
    monkeypatch.setattr("competency_xblock.platform.pack_sources.installed_library", lambda: PackLibrary(tmp_path))
    block = learner.load('<competency_assessment pack_id="customer_service"/>')
    html = learner.render(block)
    assert "not available right now" in html
    assert EXPECTED[path.stem].replace("'", "&#x27;") not in html
    staff_html = staff.render(staff.block(block.scope_ids.usage_id))
    assert EXPECTED[path.stem].replace("'", "&#x27;") in staff_html
    for handler in ("save_answers", "submit"):
        status, body = learner.call(block, handler, {"answers": {}})
        assert status == 503 and "not available" in body["error"]
