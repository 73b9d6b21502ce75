"""Packaging for competency-xblock."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def package_files(*folders):
    """Every file below the given package folders, relative to the package."""
    package = HERE / "competency_xblock"
    return sorted(str(path.relative_to(package)) for folder in folders
                  for path in (package / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts)


setup(
    name="competency-xblock",
    version="0.1.0",
    description="Open edX XBlock: assess a competency, grade it to a level, unlock follow-up lessons",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=find_packages(include=["competency_xblock", "competency_xblock.*"]),
    package_data={"competency_xblock": package_files("static", "content", "scenarios", "conf")},
    install_requires=[
        "XBlock[django]>=5.0",
        "edx-opaque-keys>=2.5",
        "PyYAML>=6.0",
        "jsonschema>=4.18",
    ],
    entry_points={
        "xblock.v1": [
            "competency_assessment = competency_xblock:CompetencyAssessmentBlock",
            "competency_gate = competency_xblock:CompetencyGateBlock",
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
