"""
competency-xblock: assess a competency in a course unit, grade it to a level, open what comes next.

``blocks/`` holds the two XBlocks, ``domain/`` the pure competency logic (packs, scoring,
statistics), ``platform/`` the adapters to a runtime. The blocks are loaded on first use
(PEP 562), so importing the domain needs neither XBlock nor Django.
"""
import importlib

__all__ = ["CompetencyAssessmentBlock", "CompetencyGateBlock"]

_BLOCK_MODULES = {
    "CompetencyAssessmentBlock": ".blocks.assessment",
    "CompetencyGateBlock": ".blocks.gate",
}


def __getattr__(name):
    """The public block classes, imported when first asked for (the entry points name them here)."""
    if name not in _BLOCK_MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_BLOCK_MODULES[name], __name__), name)
