"""The reliability suite: crashes at every SQL statement, full disks, hostile files, fuzzing."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def umask_077():
    previous = os.umask(0o077)
    yield
    os.umask(previous)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)
