pytest_plugins = ["mock_fixtures"]
