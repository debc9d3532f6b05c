import os
import sys
import tempfile

import pytest
from hypothesis import configuration

# The helpers in this folder (harness.py) are imported by name.
sys.path.insert(0, os.path.dirname(__file__))
# hypothesis (and hypothesmith, on import) keep cache files in .hypothesis/ under the
# current directory; not in the working tree.
configuration.set_hypothesis_home_dir(
    os.path.join(tempfile.gettempdir(), "flake8-async-tests-hypothesis"))


@pytest.fixture
def read(monkeypatch):
    """The modules the index reads (from source or its cache), by name, in order."""
    from flake8_async_tests.index import modules

    names: list[str] = []
    original = modules._read

    def recorded(path, name, wait=True):
        names.append(name)
        return original(path, name, wait)

    monkeypatch.setattr(modules, "_read", recorded)
    return names
