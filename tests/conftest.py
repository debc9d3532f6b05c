import os
import sys

# The helpers in this folder (harness.py) are imported by name.
sys.path.insert(0, os.path.dirname(__file__))
