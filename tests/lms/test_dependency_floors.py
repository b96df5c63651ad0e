"""
The dependencies pyproject.toml declares hold the security floors, and what is installed meets
every declared range. Known vulnerabilities are looked up by `make audit` (pip-audit), on a
machine that reaches a vulnerability database.
"""

import platform
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# The lowest releases the project may run on (issue 12): each fixes advisories that concern us.
SECURITY_FLOORS = {"django": "5.2.18", "wagtail": "8.0.1", "celery": "5.5"}


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def _declared() -> list[tuple[Requirement, str]]:
    """Every requirement of the project, with the extra ('' for none) that asks for it."""
    project = _project()
    declared = [(Requirement(text), "") for text in project["dependencies"]]
    for extra, items in project.get("optional-dependencies", {}).items():
        declared += [(Requirement(text), extra) for text in items]
    return declared


def _applies(requirement: Requirement, extra: str) -> bool:
    if requirement.marker is None:
        return True
    return requirement.marker.evaluate({**default_environment(), "extra": extra})


def _floor(specifier: SpecifierSet) -> Version | None:
    """The lowest version `specifier` admits by its lower bounds (>=, ==, ~=), or None."""
    bounds = [Version(s.version) for s in specifier if s.operator in (">=", "==", "~=", "===")]
    bounds += [Version(s.version) for s in specifier if s.operator == ">"]
    return max(bounds) if bounds else None


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@pytest.mark.parametrize(("name", "floor"), SECURITY_FLOORS.items())
def test_pyproject_declares_the_security_floor(name, floor):
    found = [r for r, _extra in _declared() if canonicalize_name(r.name) == name]
    assert len(found) == 1, f"{name} is declared {len(found)} times in pyproject.toml"
    declared = _floor(found[0].specifier)
    assert declared is not None, f"{found[0]} has no lower bound"
    # Every clause of a specifier must hold, so a lower bound at the floor admits nothing below.
    assert declared >= Version(floor), f"{found[0]} admits releases below {floor}"


@pytest.mark.parametrize(("name", "floor"), SECURITY_FLOORS.items())
def test_installed_release_is_at_or_above_the_security_floor(name, floor):
    assert Version(_installed(name)) >= Version(floor)


def test_installed_versions_meet_every_declared_range():
    unmet = []
    for requirement, extra in _declared():
        if not _applies(requirement, extra):
            continue
        installed = _installed(requirement.name)
        if installed is None:
            unmet.append(f"{requirement} ({extra or 'main'}): not installed")
        elif not requirement.specifier.contains(installed, prereleases=True):
            unmet.append(f"{requirement} ({extra or 'main'}): {installed} installed")
        # What an extra we ask for brings (celery[redis] -> redis) is declared by its package.
        for asked in sorted(requirement.extras):
            for text in metadata.requires(requirement.name) or []:
                brought = Requirement(text)
                if brought.marker is None or not brought.marker.evaluate(
                    {**default_environment(), "extra": asked}
                ):
                    continue
                version = _installed(brought.name)
                if version is None or not brought.specifier.contains(version, prereleases=True):
                    unmet.append(f"{brought} (by {requirement.name}[{asked}]): {version}")
    assert unmet == []


def test_python_meets_requires_python():
    assert SpecifierSet(_project()["requires-python"]).contains(platform.python_version())
