"""CLI subcommands that live beside the core ones in ``callsight.cli``.

Each module here defines ``register(sub)``, which adds its subparsers (with
``set_defaults(fn=...)``) to the ``callsight`` command. Modules are picked up in name
order, so a capability adds its commands without editing the core parser.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil


def register_all(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
