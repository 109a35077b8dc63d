"""The data folder found without platformdirs (drillsim validate's and the briefing's quick
path) is the folder data_dir() finds with it, whatever the environment says."""

from __future__ import annotations

import os
import sys

import pytest

from drillsim import paths

ENVIRONMENTS = [
    {},
    {"XDG_DATA_HOME": ""},
    {"XDG_DATA_HOME": "/srv/data"},
    {"XDG_DATA_HOME": "/srv/data/"},
    {"XDG_DATA_HOME": "/srv//data"},
    {"XDG_DATA_HOME": "/srv/../data"},
    {"XDG_DATA_HOME": "relative/data"},
    {"XDG_DATA_HOME": "~/data"},
    {"HOME": "relative-home"},
    {"HOME": "/home/someone/"},
    {"ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"},
]


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=str)
def test_the_quick_data_folder_is_the_one_platformdirs_finds(
    environment, monkeypatch, tmp_path
) -> None:
    monkeypatch.delenv(paths.HOME_VARIABLE, raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    quick = paths._plain_linux_data_dir()
    if quick is not None:
        assert quick == os.fspath(paths.data_dir())
    assert paths.data_dir_text() == os.fspath(paths.data_dir())


@pytest.mark.skipif(sys.platform != "linux", reason="the quick path is Linux's")
def test_a_plain_linux_setup_takes_the_quick_path(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(paths.HOME_VARIABLE, raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths._plain_linux_data_dir() == str(tmp_path / ".local" / "share" / "drillsim")
