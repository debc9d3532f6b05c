import os
import sys
import tempfile

from hypothesis import configuration

# The helpers in this folder (harness.py) are imported by name.
sys.path.insert(0, os.path.dirname(__file__))
# hypothesis (and hypothesmith, on import) keep cache files in .hypothesis/ under the
# current directory; not in the working tree.
configuration.set_hypothesis_home_dir(
    os.path.join(tempfile.gettempdir(), "flake8-async-tests-hypothesis"))
