"""`make security`: bandit runs on caseapp/, and pip-audit's result is never mistaken for a pass."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pip_audit_check", ROOT / "scripts" / "pip_audit_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake(module: ModuleType, monkeypatch: pytest.MonkeyPatch, code: int, report: object) -> None:
    stdout = report if isinstance(report, str) else json.dumps(report)
    monkeypatch.setattr(module, "run_pip_audit", lambda: (code, stdout, "ConnectionError: boom"))


def test_a_known_vulnerability_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = checker()
    deps = [{"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-0000-1"}]}]
    fake(module, monkeypatch, 1, {"dependencies": deps})
    assert module.main() == 1
    assert "PYSEC-0000-1" in capsys.readouterr().out


def test_everything_skipped_is_reported_as_not_audited(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = checker()
    deps = [{"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited"}]
    fake(module, monkeypatch, 0, {"dependencies": deps})
    assert module.main() == 0
    assert "NOT AUDITED" in capsys.readouterr().out


def test_an_unreachable_service_is_reported_without_failing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = checker()
    fake(module, monkeypatch, 1, "")
    assert module.main() == 0
    assert "NOT AUDITED" in capsys.readouterr().out


def test_a_clean_audit_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    module = checker()
    fake(module, monkeypatch, 0, {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]})
    assert module.main() == 0


def test_make_test_runs_the_security_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ntest: lint typecheck security pytest" in makefile
    assert "bandit --quiet --recursive caseapp" in makefile


def test_bandit_finds_nothing_unexplained_in_caseapp() -> None:
    import subprocess

    bandit = Path(sys.executable).parent / "bandit"
    result = subprocess.run(
        [str(bandit), "--quiet", "--recursive", "--format", "json", str(ROOT / "caseapp")],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(result.stdout)["results"]
    assert findings == [], [(f["filename"], f["line_number"], f["test_id"]) for f in findings]
