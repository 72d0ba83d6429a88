"""Command-line traps a finance lead hit: 'calculated' on a typed input, negative amounts read
as options, and several KEY=VALUE after one --set."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from .test_cli import run


def test_calculated_on_a_typed_input_is_refused(sample_path: Path) -> None:
    before = hashlib.sha256(sample_path.read_bytes()).hexdigest()
    code, _, err = run("set", sample_path, "LC", "premises", "2019/20", "calculated")
    assert code == 2 and "typed input, not an override" in err and err.count("\n") == 1
    assert hashlib.sha256(sample_path.read_bytes()).hexdigest() == before
    assert run("set", sample_path, "LC", "premises", "2020/21", "£7.1m")[0] == 0
    assert run("set", sample_path, "LC", "premises", "2020/21", "calculated")[0] == 0


def test_a_negative_amount_is_an_amount_not_an_option(sample_path: Path) -> None:
    for text, pounds in (("-£5k", "-5000.00"), ("-1,250", "-1250.00"), ("-7.5m", "-7500000.00")):
        code, _, err = run("set", sample_path, "LC", "other_gp_services", "2020/21", text)
        assert code == 0, err
        _, out, _ = run("summary", sample_path, "--org", "LC", "--format", "csv")
        rows = {(r["section"], r["line"]): r for r in csv.DictReader(io.StringIO(out))}
        assert rows[("co_commissioning", "other_gp_services")]["2020/21"] == pounds


def test_several_parameters_after_one_set(sample_path: Path) -> None:
    code, _, err = run(
        "leftshift",
        sample_path,
        "--scenario",
        "Cautious left shift",
        "--org",
        "LLR",
        "--set",
        "op_first.reduction=20%",
        "reinvest_share=10%",
        "--format",
        "json",
    )
    assert code == 0, err
    _, out, _ = run(
        "leftshift",
        sample_path,
        "--scenario",
        "Cautious left shift",
        "--org",
        "LLR",
        "--format",
        "json",
    )
    assert '"op_first.reduction": "0.2"' in out and '"reinvest_share": "0.1"' in out


def test_a_linux_desktop_without_libxcb_cursor_is_told_the_apt_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ctypes.util
    import sys

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    code, _, err = run("open", "--sample")
    assert code == 2 and "sudo apt install libxcb-cursor0" in err


def test_each_missing_xcb_library_is_named_not_only_the_cursor_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Debian 12 machine with libxcb-cursor0 but not libxcb-icccm4/keysyms1 aborted in Qt."""
    import ctypes.util
    import sys

    real = ctypes.util.find_library
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(
        ctypes.util,
        "find_library",
        lambda name: None if name in ("xcb-icccm", "xcb-keysyms") else real(name) or name,
    )
    code, _, err = run("open", "--sample")
    assert code == 2
    assert err.strip().endswith("sudo apt install libxcb-icccm4 libxcb-keysyms1")
