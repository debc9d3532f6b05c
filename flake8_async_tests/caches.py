"""One reset for every cache the plugin keeps between files.

Caches live for one flake8 run. A process that runs flake8 again (an editor's long-lived
flake8, a test calling flake8's API twice) starts each later run from nothing, so a changed
pytest config, conftest.py or project module is read again, never remembered.
"""

from __future__ import annotations

from . import cachedb, project, reads, results

_runs = 0


def new_run() -> None:
    """Called where flake8 starts a run (when it hands the plugin its options)."""
    global _runs
    _runs += 1
    project.new_run()
    reads.new_run()
    results.new_run()
    cachedb.new_run()
    if _runs == 1:
        return  # nothing cached yet
    # (the analysis is loaded on first use: plugin._rules)
    from . import inference, plugin, syntax
    from .index import resolver
    from .model import mocks, plugins, runner
    for cached in (project.settings_for_dir, project.parse_file, project._conftest_chain,
                   project.files_mentioning, project.build_outputs, runner._conftest_facts,
                   runner._project_uses_plugin_fixtures, mocks.conftest_mocks,
                   plugins.read_installed, plugins.installed_runners, plugins.installed_version,
                   plugins.installed_plugin_modules,
                   plugins.declared_requirements,
                   plugins.locked_versions, plugins.project_modules,
                   plugin._python_outside):
        cached.cache_clear()
    for table in (syntax._others,):
        table.clear()
    resolver.new_run()
    inference.new_run()
