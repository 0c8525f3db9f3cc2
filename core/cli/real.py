"""The real-model commands of ``python -m core``: ``models``, ``lr-find`` and ``train``.

    python -m core models --json
    python -m core lr-find --model mlp-digits [--seed S] \\
        [--start-lr A --end-lr B --num-steps N] --json
    python -m core train --model mlp-digits --optimizer NAME --lr LR --steps N \\
        [--schedule NAME --schedule-param NAME=VALUE ...] [--batch-size B] [--seed S] --json

Every value goes through the same checks as the URL and the lessons (`core.schema.experiment.FIELDS`
for rates, steps, seeds, hyperparameters and schedule arguments); anything refused raises
`ExperimentError` (a ValueError), which ``core.cli`` prints as one line before exiting with 2.
"""

from __future__ import annotations

import argparse

from core.schema.experiment import FIELD, ExperimentError, parse_assignments

MAX_NUM_STEPS = 10_000


def _model(args):
    from core.real.models import MODELS, get_model

    if args.model not in MODELS:
        raise ExperimentError(
            f"Unknown model {args.model[:40]!r}; choose one of {', '.join(MODELS)} "
            "(see `python -m core models`)."
        )
    return get_model(args.model, standardize=not args.raw_features)


def _batch_size(args, model) -> int | None:
    if args.batch_size is None:
        return None
    n = model.data.n_train
    size = _whole("batch-size", args.batch_size)
    if not 1 <= size <= n:
        raise ExperimentError(
            f"batch-size must be between 1 and {n} (the training set of {model.name}); got {size}."
        )
    return size


def _whole(name: str, text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise ExperimentError(f"{name} must be a whole number; got {text[:40]!r}.") from None
    if not value.is_integer():
        raise ExperimentError(f"{name} must be a whole number; got {text[:40]!r}.")
    return int(value)


def _rate(name: str, text: str) -> float:
    """A range-test rate: any positive finite number (the ramp may go past the slider's 100)."""
    try:
        value = float(text)
    except ValueError:
        raise ExperimentError(f"{name} must be a number; got {text[:40]!r}.") from None
    if not (value > 0 and value < float("inf")):
        raise ExperimentError(f"{name} must be a positive finite number; got {text[:40]!r}.")
    return value


def cmd_models(args) -> object:
    from core.real.models import MODELS, describe

    return [describe(name) for name in MODELS]


def cmd_lr_find(args) -> object:
    from core.real.lr_finder import lr_find

    model = _model(args)
    optimizer = FIELD["optimizer"].parse(args.optimizer)
    seed = FIELD["seed"].parse(args.seed)
    start_lr, end_lr = _rate("start-lr", args.start_lr), _rate("end-lr", args.end_lr)
    if not start_lr < end_lr:
        raise ExperimentError(f"start-lr ({start_lr:g}) must be below end-lr ({end_lr:g}).")
    num_steps = _whole("num-steps", args.num_steps)
    if not 2 <= num_steps <= MAX_NUM_STEPS:
        raise ExperimentError(f"num-steps must be between 2 and {MAX_NUM_STEPS}; got {num_steps}.")
    result = lr_find(
        model,
        optimizer,
        start_lr=start_lr,
        end_lr=end_lr,
        num_steps=num_steps,
        batch_size=_batch_size(args, model),
        seed=seed,
        hyper=parse_assignments(args.param, "param"),
    )
    return {"model": model.name, "optimizer": optimizer, **result.to_json()}


def cmd_train(args) -> object:
    from core.real.training import train

    model = _model(args)
    run = train(
        model,
        FIELD["optimizer"].parse(args.optimizer),
        FIELD["lr"].parse(args.lr),
        FIELD["steps"].parse(args.steps),
        seed=FIELD["seed"].parse(args.seed),
        schedule=FIELD["schedule"].parse(args.schedule),
        schedule_args=parse_assignments(args.schedule_param, "schedule"),
        hyper=parse_assignments(args.param, "param"),
        batch_size=_batch_size(args, model),
    )
    doc = {"model": model.name, **run.to_json()}
    if run.path is not None:  # the line: its two parameters after every step
        doc["path"] = run.path.tolist()
    return doc


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="see `python -m core models`")
    p.add_argument("--optimizer", default="sgd")
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="hyperparameter")
    p.add_argument("--batch-size", help="rows per mini-batch (default: the model's own)")
    p.add_argument("--seed", default="0", help="initial weights and batch order")
    p.add_argument(
        "--raw-features", action="store_true", help="do not standardise the input features"
    )
    p.add_argument("--json", action="store_true")


def add_commands(subparsers) -> None:
    """Register ``models``, ``lr-find`` and ``train`` on ``python -m core``'s subparsers."""
    p = subparsers.add_parser("models", help="list the real models and their data")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models)

    p = subparsers.add_parser("lr-find", help="learning-rate range test on a real model")
    _common(p)
    p.add_argument("--start-lr", default="1e-7")
    p.add_argument("--end-lr", default="10")
    p.add_argument("--num-steps", default="100")
    p.set_defaults(func=cmd_lr_find)

    p = subparsers.add_parser("train", help="train a real model; loss curves and accuracy")
    _common(p)
    p.add_argument("--lr", required=True)
    p.add_argument("--steps", default="1000")
    p.add_argument("--schedule", default="constant")
    p.add_argument("--schedule-param", action="append", metavar="NAME=VALUE")
    p.set_defaults(func=cmd_train)
