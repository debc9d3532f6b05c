"""`python -m flake8_async_tests`: the standalone command (see cli.py)."""

from .cli import main

raise SystemExit(main())
