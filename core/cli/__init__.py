"""Command line: `python -m core surfaces|simulate|sweep|analyze ... --json`.

Every command prints one JSON document with ``--json`` (a short human summary without it).
Bad input exits with status 2 and a one-line message on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from core.cli.text import summary
from core.schema.experiment import (
    FIELD,
    FIELDS,
    Experiment,
    ExperimentError,
    decode,
    parse_assignments,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2, as for every other bad input
        raise ExperimentError(f"{self.prog}: {message}")

    def parse_known_args(self, args=None, namespace=None):
        args = sys.argv[1:] if args is None else list(args)
        return super().parse_known_args(self._glue_dash_values(args), namespace)

    def _glue_dash_values(self, args: list[str]) -> list[str]:
        """Join ``--flag -value`` into ``--flag=-value`` for every flag that takes one value.

        argparse takes a word that starts with '-' for an option unless it looks like a plain
        negative number, so ``--start -4,6`` (a negative start), ``--formula -x^2+y^2`` or
        ``--lr -1`` would fail with "expected one argument" (or a silent misreading); the
        ``=`` form is read as the flag's value, good or bad, and then checked like any other.
        A following word that is itself a flag (``--...``) is left alone.
        """
        out: list[str] = []
        words = iter(args)
        for word in words:
            action = self._option_string_actions.get(word)
            if word == "--":  # everything after it is positional already
                out.append(word)
                out.extend(words)
                break
            if action is not None and action.nargs is None:  # a flag with exactly one value
                value = next(words, None)
                if value is None:
                    out.append(word)
                elif value.startswith("-") and not value.startswith("--"):
                    out.append(f"{word}={value}")
                else:
                    out.extend((word, value))
                continue
            out.append(word)
        return out


def _add_noise(p: argparse.ArgumentParser) -> None:
    """--noise and --seed, worded by the schema's rows."""
    for name in ("noise", "seed"):
        p.add_argument(f"--{name}", help=FIELD[name].help)


def _add_surface(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--surface", help="a built-in surface (see `surfaces`)")
    group.add_argument("--formula", help="a formula in x and y, e.g. '0.5*x^2 + 5*y^2'")


def _experiment(args, **extra) -> Experiment:
    """Build the shared experiment description from flags, through the one schema."""
    raw = {"surface": "custom" if args.formula is not None else args.surface}
    if args.formula is not None:
        raw["formula"] = args.formula
    # Every experiment field of the one table (core.schema.experiment.FIELDS) that has a flag.
    for name in (f.name for f in FIELDS if f.group == "experiment"):
        if name in ("surface", "formula"):
            continue
        value = getattr(args, name, None)
        if value is not None:
            raw[name] = value
    raw.update(extra)
    exp, _, _ = decode(raw, strict=True)
    params = parse_assignments(getattr(args, "param", None), "param")
    schedule_args = parse_assignments(getattr(args, "schedule_param", None), "schedule")
    return exp.replace(params=params, schedule_args=schedule_args)


def cmd_surfaces(args) -> object:
    from core.valley.surfaces import SURFACES

    return [s.to_json() for s in SURFACES.values()]


def cmd_simulate(args) -> object:
    from core.valley.resolver import resolve
    from core.valley.simulation import simulate

    exp = _experiment(args)
    ignored = resolve(exp).ignored
    if ignored:
        raise ExperimentError(
            f"{', '.join(ignored)} does not apply to {exp.optimizer} with the {exp.schedule} "
            "schedule."
        )
    return simulate(exp).to_json()


def cmd_sweep(args) -> object:
    from core.valley.sweeps import log_rates, sweep

    exp = _experiment(args)
    optimizers = args.optimizer_list or ["sgd"]
    for name in optimizers:
        FIELD["optimizer"].parse(name)
    lrs = log_rates(args.lr_min, args.lr_max, args.num)
    result = sweep(exp, optimizers, lrs).to_json()
    return result


def cmd_analyze(args) -> object:
    from core.valley.resolver import surface_of
    from core.valley.theory import analyze

    exp = _experiment(args)
    if args.momentum is not None:
        FIELD["momentum"].parse(args.momentum)
    momentum = 0.9 if args.momentum is None else args.momentum
    return {"minima": [a.to_json() for a in analyze(surface_of(exp), momentum)]}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("surfaces", help="list the built-in surfaces")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_surfaces)

    p = sub.add_parser("simulate", help="run one trajectory")
    _add_surface(p)
    p.add_argument("--optimizer", default="sgd")
    p.add_argument("--lr", required=True)
    p.add_argument("--steps", default="100")
    p.add_argument("--start", help="x,y (default: the surface's own start)")
    _add_noise(p)
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="hyperparameter")
    p.add_argument("--schedule", default="constant")
    p.add_argument("--schedule-param", action="append", metavar="NAME=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("sweep", help="final loss and outcome over log-spaced learning rates")
    _add_surface(p)
    p.add_argument("--optimizer", action="append", dest="optimizer_list", metavar="NAME")
    p.add_argument("--lr-min", type=float, required=True)
    p.add_argument("--lr-max", type=float, required=True)
    p.add_argument("--num", type=int, default=200)
    p.add_argument("--steps", default="100")
    p.add_argument("--start")
    _add_noise(p)  # noisy: each rate runs several seeds (core.valley.sweeps.NOISE_SEEDS)
    p.add_argument("--param", action="append", metavar="NAME=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("analyze", help="curvature and critical rates at every minimum")
    _add_surface(p)
    p.add_argument("--momentum", type=float)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_analyze)

    try:
        from core.cli.real import add_commands
    except ImportError:  # the real-model commands live in their own module
        pass
    else:
        add_commands(sub)
    return parser


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        result = args.func(args)
    except ValueError as error:  # ExperimentError, FormulaError, SurfaceError, ScheduleError
        print(f"error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    try:
        if getattr(args, "json", False):
            json.dump(result, sys.stdout, allow_nan=False)
            sys.stdout.write("\n")
        else:
            print(summary(result))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped early: that's fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
