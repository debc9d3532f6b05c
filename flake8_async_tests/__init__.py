"""flake8-async-tests: find async tests that never run, coroutines never awaited and lying mocks."""

__version__ = "0.2.0"
