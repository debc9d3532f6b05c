pytest_plugins = ["plugin_fixtures"]
