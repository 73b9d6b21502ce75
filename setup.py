"""Packaging for competency-xblock."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


# static/ and content/ sit at the repository's top level and go inside the installed package,
# where competency_xblock.package_data finds them (in a checkout it finds them at the top).
DATA_FOLDERS = ("static", "content")


def package_files(root: Path, *folders: str) -> list[str]:
    """Every file below the given folders of ``root``, relative to ``root``."""
    return sorted(str(path.relative_to(root)) for folder in folders
                  for path in (root / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts)


def data_packages() -> dict[str, str]:
    """Each folder below static/ and content/ as a data-only sub-package of competency_xblock."""
    return {f"competency_xblock.{'.'.join(folder.relative_to(HERE).parts)}": str(folder.relative_to(HERE))
            for top in DATA_FOLDERS for folder in [HERE / top, *sorted((HERE / top).rglob("*"))]
            if folder.is_dir() and folder.name != "__pycache__"}


setup(
    name="competency-xblock",
    version="0.1.0",
    description="Open edX XBlock: assess a competency, grade it to a level, unlock follow-up lessons",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=find_packages(include=["competency_xblock", "competency_xblock.*"]) + sorted(data_packages()),
    package_dir={"competency_xblock": "competency_xblock", **data_packages()},
    package_data={
        "competency_xblock": package_files(HERE / "competency_xblock", "scenarios", "conf", "translations"),
        **{name: ["*"] for name in data_packages()},
    },
    # Ranges that admit both Open edX's pins (requirements/platform.txt) and the latest
    # (requirements/base.txt); tests/platform/test_versions.py checks it.
    install_requires=[
        "XBlock[django]>=5.3,<7",
        "edx-opaque-keys>=3.0,<5",
        "web-fragments>=3.0",
        "Django>=5.2,<6",
        "PyYAML>=6.0",
        "jsonschema>=4.18",
        "celery>=5.2",  # the cohort figures' task; Open edX runs Celery
    ],
    entry_points={
        "xblock.v1": [
            "competency_assessment = competency_xblock:CompetencyAssessmentBlock",
            "competency_gate = competency_xblock:CompetencyGateBlock",
        ],
        # Open edX installs the package's Django app, so its Celery workers find the cohort job
        # (competency_xblock/platform/apps.py says how).
        "lms.djangoapp": [
            "competency_xblock = competency_xblock.platform.apps:CompetencyXBlockConfig",
        ],
        "cms.djangoapp": [
            "competency_xblock = competency_xblock.platform.apps:CompetencyXBlockConfig",
        ],
        "console_scripts": [
            "competency-xblock = competency_xblock.cli:main",
        ],
    },
    classifiers=[
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.12",
    ],
)
