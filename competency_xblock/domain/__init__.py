"""
The competency logic as plain Python: packs, scoring, statistics, overrides, authoring rules, reports.

Imports nothing from XBlock, Django, ``blocks`` or ``platform`` (tests/test_layout.py checks), so it is tested without a runtime.
"""
