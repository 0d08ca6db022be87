"""``tuoyu schema``: print or write the JSON Schema of the public input and output models.

``tuoyu schema`` prints one JSON object, model name -> schema; ``--model NAME`` prints that model's schema
alone; ``--out DIR`` writes ``<Name>.schema.json`` files into ``DIR`` (all, or the one named) and prints
the paths written. Inputs (``Facility``, ``Designation``, ...) are in pydantic's validation mode, outputs
(``Assessment`` and its parts, ...) in serialization mode; see :mod:`tuoyu_rules.io.schema`.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..core.messages import msg
from ..io import schema
from .common import EXIT_OK, BadInput, os_problem, say


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``schema`` subcommand to the ``tuoyu`` parser's subparsers."""
    p = sub.add_parser("schema", help="print the JSON Schema of the input and output models")
    p.add_argument("--model", metavar="NAME", help="only this model (e.g. Facility, Assessment)")
    p.add_argument("--out", metavar="DIR", help="write <Name>.schema.json files into DIR instead of printing")
    p.set_defaults(func=_cmd_schema)


def _cmd_schema(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    names = schema.model_names()
    if args.model is not None and args.model not in names:
        raise BadInput(
            msg("cli.schema.unknown_model", option="--model", model=repr(args.model), known=", ".join(names))
        )
    chosen = names if args.model is None else (args.model,)
    if args.out is not None:
        try:
            paths = schema.write(args.out, chosen)
        except OSError as exc:
            raise BadInput(
                msg("cli.schema.cannot_write", option="--out", path=args.out, problem=os_problem(exc))
            ) from None
        for path in paths:
            say(out, str(path))
        return EXIT_OK
    if args.model is not None:
        out.write(schema.dumps(schema.schema(args.model)))
    else:
        out.write(schema.dumps(schema.schemas()))
    return EXIT_OK
