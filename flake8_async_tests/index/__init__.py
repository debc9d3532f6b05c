"""The project index: what every reachable module defines, read with `ast` alone.

- `facts`: one module's facts (functions and their kinds, classes, imports), built from
  its syntax tree and kept as plain data;
- `finder`: which file a dotted module name is, for a list of import roots;
- `store`: the facts kept on disk between runs, one entry per module keyed by its file;
- `resolver`: the questions rules ask ("is this attribute there?", "how is this function
  written?", "which async def names can this file reach?"), answered from the facts, with
  None (or "unknown") when the source cannot tell.

Nothing here imports or runs the project's code, and nothing here uses astroid.
"""
