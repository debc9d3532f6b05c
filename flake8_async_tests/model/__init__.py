"""What runs each test and what its names hold.

`plugins` finds the pytest plugins a project loads the ways pytest loads them, `known` names
the ones this tool knows, `dependencies` reads what the project depends on with each file
format's own parser. `fixtures` finds the fixture a test gets, `bindings` how a scope binds
names, and `values` what a fixture argument, a `self` attribute or a local holds.
"""
