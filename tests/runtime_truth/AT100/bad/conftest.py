import pytest


def pytest_collection_modifyitems(config, items):
    """Category marks by name: none of them makes a test async."""
    for item in items:
        if "connect" in item.name:
            item.add_marker(pytest.mark.network)
