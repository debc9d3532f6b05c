"""The standard library's module facts shipped with the plugin (index/shipped.py): current
for this format, equal to what the index builds, and used only for the very source they
were built from."""

from __future__ import annotations

import ast
import glob
import hashlib
import json
import os
import platform
import sqlite3
import zipfile
from contextlib import closing

import pytest

from flake8_async_tests import cachedb
from flake8_async_tests.index import modules, resolver, shipped, stdlib, store
from flake8_async_tests.index.facts import build

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]  # the supported versions (pyproject classifiers)
SHIPPED_HERE = stdlib.VERSION in PYTHONS


def _built(path: str, name: str, package: bool, source: bytes) -> dict | None:
    try:
        facts = build(ast.parse(source, filename=path), name, package, source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    return json.loads(json.dumps(facts.to_json()))  # (as JSON holds it: lists, not tuples)


@pytest.mark.parametrize("version", PYTHONS)
def test_an_archive_ships_for_each_supported_python(version):
    archive = os.path.join(os.path.dirname(shipped.ARCHIVE), f"stdlib-{version}-facts.zip")
    with zipfile.ZipFile(archive) as handle:
        header = json.loads(handle.read(shipped.HEADER))
        members = handle.namelist()
    assert header["format"] == store.FORMAT, (
        f"run scripts/stdlib_facts.py with Python {version}: the facts' format changed")
    assert all(p.startswith(f"{version}.") for p in header["pythons"]), header
    assert {"asyncio.json", "unittest.json", "typing.json", "json.json"} <= set(members)


@pytest.mark.skipif(not SHIPPED_HERE, reason="no archive for this Python")
def test_shipped_facts_are_what_the_index_builds():
    """Every module of the running library the archive holds stands for what building it
    gives; on a patch release the archive was written from, that is every module of the
    table the index can read."""
    written_here = platform.python_version() in shipped._archive()["pythons"]
    compared = missing = 0
    for path, name, package, _ in stdlib.table_modules():
        with open(path, "rb") as handle:
            source = handle.read()
        built = _built(path, name, package, source)
        found = shipped.facts(path, name, source)
        if found is None:
            missing += built is not None
            continue
        assert found.to_json() == built, name
        compared += 1
    if written_here:
        assert missing == 0 and compared > 400, (compared, missing)


@pytest.mark.skipif(not SHIPPED_HERE, reason="no archive for this Python")
def test_shipped_facts_stand_only_for_the_source_they_were_built_from():
    path = os.path.join(os.path.dirname(json.__file__), "decoder.py")
    with open(path, "rb") as handle:
        source = handle.read()
    if platform.python_version() not in shipped._archive()["pythons"]:
        pytest.skip("the archive was not written from this patch release")
    facts = shipped.facts(path, "json.decoder", source)
    assert facts is not None and "JSONDecoder" in facts.classes
    changed = source.replace(b"class JSONDecoder", b"class JSONDecodex")
    assert len(changed) == len(source)  # same size, other content
    assert shipped.facts(path, "json.decoder", changed) is None
    assert shipped.facts(path, "json.decoder", source + b"\n") is None
    assert shipped.facts(path, "decoder", source) is None  # read under another name
    assert shipped.facts(pytest.__file__, "pytest", source) is None  # not the library


@pytest.mark.skipif(not SHIPPED_HERE, reason="no archive for this Python")
def test_the_index_reads_the_library_from_the_archive_and_caches_nothing_of_it(tmp_path):
    if platform.python_version() not in shipped._archive()["pythons"]:
        pytest.skip("the archive was not written from this patch release")
    (tmp_path / "app.py").write_text("import json.decoder\n", encoding="utf-8")
    cache = tmp_path / "cache"
    resolver.new_run()
    modules.configure(str(cache), use_cache=True)
    try:
        with modules.scope([str(tmp_path)], str(tmp_path)):
            found = modules.module("json.decoder")
            app = modules.module("app")
        cachedb.flush()  # (as when a linted file is done)
    finally:
        modules.configure(None, use_cache=True)
        resolver.new_run()
    path = modules.finder.locate("json.decoder", modules.roots_for([str(tmp_path)]))
    with open(path, "rb") as handle:
        source = handle.read()
    assert found is not None and found.to_json() == _built(path, "json.decoder", False, source)
    assert app is not None and app.modules == ["json.decoder"]
    (database,) = glob.glob(os.path.join(cache, "cache-*.sqlite3"))
    with closing(sqlite3.connect(database)) as db:
        entries = db.execute("SELECT key FROM modules").fetchall()
    assert [key.split("\0")[1] for (key,) in entries] == ["app"]  # the library's: the archive


def test_no_archive_of_another_format_is_read(tmp_path, monkeypatch):
    """An archive written by another format of the facts is not read: its modules are
    read from source."""
    archive = tmp_path / "stdlib-facts.zip"
    path = os.path.join(os.path.dirname(json.__file__), "decoder.py")
    with open(path, "rb") as handle:
        source = handle.read()

    entry = {"name": "json.decoder", "size": len(source),
             "sha1": hashlib.sha1(source).hexdigest(),
             "facts": _built(path, "json.decoder", False, source)}
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(shipped.HEADER, json.dumps({"format": store.FORMAT - 1, "pythons": []}))
        out.writestr("json.json", json.dumps({"json/decoder.py": [entry]}))
    monkeypatch.setattr(shipped, "ARCHIVE", str(archive))
    shipped._archive.cache_clear()
    shipped._member.cache_clear()
    try:
        assert shipped.facts(path, "json.decoder", source) is None
        with zipfile.ZipFile(archive, "w") as out:  # the same, of this format
            out.writestr(shipped.HEADER, json.dumps({"format": store.FORMAT, "pythons": []}))
            out.writestr("json.json", json.dumps({"json/decoder.py": [entry]}))
        shipped._archive.cache_clear()
        shipped._member.cache_clear()
        assert shipped.facts(path, "json.decoder", source) is not None
        archive.write_bytes(b"not a zip")
        shipped._archive.cache_clear()
        shipped._member.cache_clear()
        assert shipped.facts(path, "json.decoder", source) is None
    finally:
        monkeypatch.undo()
        shipped._archive.cache_clear()
        shipped._member.cache_clear()
