"""What runs each test: the pytest plugins a project loads, and what they do to async tests.

`plugins` finds them the ways pytest loads them, `known` names the ones this tool knows,
`dependencies` reads what the project depends on with each file format's own parser.
"""
