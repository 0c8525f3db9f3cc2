"""Model blocks: a real model (`core.real.models`) trained by the engine, written in a lesson.

    ```model digits-range
    task: range_test
    model: mlp-digits
    batch_size: 64
    start_lr: 1e-5
    compare: 0.1 | 1 | 10
    ```

Keys are checked strictly, each error naming its line: the schema's own fields (`optimizer`,
`lr`, `steps`, `seed`, `schedule`, the optimizer's hyperparameters, the schedule's arguments)
through `core.schema.experiment.FIELD`, the rest here. Nothing is run: the upper bound of a
batch size
(the training set) is checked by `core.lessons.model_runs.check_model_runnable`.
"""

from __future__ import annotations

from pathlib import Path

from core.lessons.model import ALL, RULES, LessonError, ModelBlock
from core.lessons.syntax import key_values
from core.schema.experiment import FIELD, ExperimentError

TASKS = ("range_test", "train")
MODEL_NAMES = ("mlp-digits", "linreg-diabetes")  # core.real.models.MODELS (a test keeps them equal)
CLASSIFIERS = ("mlp-digits",)  # models with a held-out accuracy
MAX_STEPS = 2000  # training steps of one run
MAX_WORK = 10_000  # steps x runs x seeds of one block: a few seconds at most, warm
MAX_SEEDS = 8
MAX_RUNS = 4
NUM_STEPS = (10, 400)  # range test
OWN_KEYS = (
    "task",
    "model",
    "steps",
    "batch_size",
    "seeds",
    "start_lr",
    "end_lr",
    "num_steps",
    "suggestion",
    "compare",
    "epochs",
    "scale_lr",
    "pretrain_steps",
    "pretrain_lr",
    "caption",
)
SCHEMA_KEYS = ("optimizer", "lr", "seed", "schedule")
EXTRA_KEYS = tuple(f.name for f in FIELD.values() if f.group in ("param", "schedule"))


def parse_model(block_id: str, body: list[str], line: int, path: Path) -> ModelBlock:
    """A ``model`` block's key-value lines (``line`` is its opening fence) as a ModelBlock."""
    values = key_values(
        body, line + 1, path, allowed=OWN_KEYS + SCHEMA_KEYS + EXTRA_KEYS, repeated=()
    )

    def text(key: str) -> str:
        return values[key][0]

    def fail(key: str, reason: str):
        raise LessonError(path, values[key][1] if key in values else line, reason)

    def schema(key: str, default):
        if key not in values:
            return default
        try:
            return FIELD[key].parse(text(key))
        except ExperimentError as error:
            fail(key, str(error))

    for key in ("task", "model"):
        if key not in values:
            raise LessonError(path, line, f"a model block needs '{key}:'.")
    task, model = text("task"), text("model")
    if task not in TASKS:
        fail("task", f"task must be one of {', '.join(TASKS)}; got {task[:40]!r}.")
    if model not in MODEL_NAMES:
        fail("model", f"model must be one of {', '.join(MODEL_NAMES)}; got {model[:40]!r}.")
    train = task == "train"
    only = {"lr": train, "start_lr": not train, "end_lr": not train, "num_steps": not train}
    only |= {"suggestion": not train, "seeds": train}
    only |= {k: train for k in ("epochs", "scale_lr", "pretrain_steps", "pretrain_lr")}
    for key, allowed in only.items():
        if key in values and not allowed:
            fail(key, f"{key} does not apply to task: {task}.")
    if train and "lr" not in values:
        raise LessonError(path, line, "a training block needs 'lr:' (its base learning rate).")

    optimizer = schema("optimizer", "sgd")
    hyper = _group(values, "param", optimizer, path)
    schedule = schema("schedule", "constant")
    schedule_args = _group(values, "schedule", schedule, path)
    lr = schema("lr", None)
    seed = schema("seed", 0)
    steps = _whole(values, "steps", 300, 1, MAX_STEPS, path, line)
    seeds = _whole(values, "seeds", 1, 1, MAX_SEEDS, path, line)
    num_steps = _whole(values, "num_steps", 100, *NUM_STEPS, path, line)
    if seeds > 1 and model != "linreg-diabetes":
        fail("seeds", "seeds draws several runs on the line's valley: only for linreg-diabetes.")
    start_lr = _rate(values, "start_lr", 1e-7, path)
    end_lr = _rate(values, "end_lr", 10.0, path)
    if not start_lr < end_lr:
        fail("end_lr", f"end_lr ({end_lr:g}) must be above start_lr ({start_lr:g}).")
    suggestion = values.get("suggestion", ("minimum", 0))[0]
    if suggestion not in RULES:
        fail("suggestion", f"suggestion must be one of {', '.join(RULES)}; got {suggestion!r}.")
    batch_sizes = _batch_sizes(values, path)
    compare = _compare(values, path)
    if not train and not compare:
        for key in ("steps", "schedule", *values):
            if key in values and (
                key == "steps" or FIELD.get(key, FIELD["lr"]).group == "schedule"
            ):
                fail(key, f"{key} sets the training, and this range test trains nothing.")
    if compare and len(batch_sizes) > 1:
        fail("compare", "compare and several batch sizes: vary one thing at a time.")
    if len(batch_sizes) > 1 and not train:
        fail("batch_size", "a range test takes one batch size.")
    epochs, scale_lr, pretrain_steps, pretrain_lr = _training_keys(values, batch_sizes, path, line)
    if compare and lr is not None and lr * max(compare) > FIELD["lr"].hi:
        fail("compare", f"lr x {max(compare):g} is above the largest rate, {FIELD['lr'].hi:g}.")
    block = ModelBlock(
        id=block_id,
        line=line,
        task=task,
        model=model,
        optimizer=optimizer,
        hyper=tuple(sorted(hyper.items())),
        lr=lr,
        steps=steps,
        batch_sizes=batch_sizes,
        seed=seed,
        seeds=seeds,
        schedule=schedule,
        schedule_args=tuple(sorted(schedule_args.items())),
        start_lr=start_lr,
        end_lr=end_lr,
        num_steps=num_steps,
        suggestion=suggestion,
        compare=compare,
        epochs=epochs,
        scale_lr=scale_lr,
        pretrain_steps=pretrain_steps,
        pretrain_lr=pretrain_lr,
        caption=values.get("caption", ("", 0))[0],
        key_lines=tuple((k, v[1]) for k, v in values.items()),
    )
    # (with epochs the steps depend on the training set's size: model_runs checks the work)
    work = steps * max(len(block.runs()), 1) * seeds + pretrain_steps
    if work > MAX_WORK and epochs is None:
        raise LessonError(
            path,
            line,
            f"this block trains {work:,} steps in all (steps x runs x seeds); at most "
            f"{MAX_WORK:,}, so the lesson stays quick.",
        )
    return block


def _training_keys(values, batch_sizes, path, line):
    """``epochs`` (instead of ``steps``: runs of different batch sizes see the data equally
    often), ``scale_lr: linear`` (the linear scaling rule over several batch sizes) and the warm
    start ``pretrain_steps`` with ``pretrain_lr`` (both or neither)."""

    def fail(key: str, reason: str):
        raise LessonError(path, values[key][1], reason)

    epochs = None
    if "epochs" in values:
        if "steps" in values:
            fail("epochs", "give steps or epochs, not both.")
        try:
            epochs = float(values["epochs"][0])
        except ValueError:
            epochs = float("nan")
        if not 0 < epochs <= 100:
            fail("epochs", "epochs must be a number above 0 and at most 100.")
    scale_lr = False
    if "scale_lr" in values:
        if values["scale_lr"][0] != "linear":
            fail("scale_lr", "scale_lr takes one value: linear (rate x batch / first batch).")
        if len(batch_sizes) < 2:
            fail("scale_lr", "scale_lr scales the rate with the batch: list several batch sizes.")
        scale_lr = True
    pretrain_steps = _whole(values, "pretrain_steps", 0, 1, MAX_STEPS, path, line)
    pretrain_lr = _rate(values, "pretrain_lr", None, path)
    if ("pretrain_steps" in values) != ("pretrain_lr" in values):
        key = "pretrain_steps" if "pretrain_steps" in values else "pretrain_lr"
        fail(key, "a warm start needs both pretrain_steps and pretrain_lr.")
    return epochs, scale_lr, pretrain_steps, pretrain_lr


def _group(values: dict, group: str, owner: str, path: Path) -> dict:
    """The optimizer's hyperparameters or the schedule's arguments: each must belong to it."""
    from core.optimizers import HYPERPARAMS
    from core.schedules import PARAMS

    own = HYPERPARAMS[owner] if group == "param" else PARAMS[owner]
    out = {}
    for key, (raw, where) in values.items():
        spec = FIELD.get(key)
        if spec is None or spec.group != group:
            continue
        if key not in own:
            what = f"the {owner} optimizer" if group == "param" else f"the {owner} schedule"
            raise LessonError(path, where, f"{key} does not apply to {what}.")
        try:
            out[key] = spec.parse(raw)
        except ExperimentError as error:
            raise LessonError(path, where, str(error)) from None
    return out


def _whole(values, key, default, lo, hi, path, line) -> int:
    if key not in values:
        return default
    raw, where = values[key]
    try:
        number = float(raw)
    except ValueError:
        number = float("nan")
    if not (number.is_integer() and lo <= number <= hi):
        raise LessonError(path, where, f"{key} must be a whole number from {lo} to {hi}.")
    return int(number)


def _rate(values, key, default, path) -> float:
    if key not in values:
        return default
    raw, where = values[key]
    try:
        rate = float(raw)
    except ValueError:
        rate = float("nan")
    if not 0 < rate <= FIELD["lr"].hi:
        raise LessonError(path, where, f"{key} must be a rate above 0 and at most 100.")
    return rate


def _listed(text: str) -> list[str]:
    return [v.strip() for v in text.split("|")]


def _batch_sizes(values, path) -> tuple[int, ...]:
    if "batch_size" not in values:
        return ()
    raw, where = values["batch_size"]
    sizes = []
    for item in _listed(raw):
        if item == "all":
            sizes.append(ALL)
        elif item.isdigit() and int(item) >= 1:
            sizes.append(int(item))
        else:
            raise LessonError(
                path,
                where,
                f"batch_size must be whole numbers of at least 1 or 'all', separated by '|'; "
                f"got {item[:20]!r}.",
            )
    if len(set(sizes)) != len(sizes) or len(sizes) > MAX_RUNS:
        raise LessonError(path, where, f"batch_size lists 1 to {MAX_RUNS} different sizes.")
    return tuple(sizes)


def _compare(values, path) -> tuple[float, ...]:
    if "compare" not in values:
        return ()
    raw, where = values["compare"]
    try:
        multiples = [float(v) for v in _listed(raw)]
    except ValueError:
        multiples = []
    if (
        not 2 <= len(multiples) <= MAX_RUNS
        or len(set(multiples)) != len(multiples)
        or not all(0 < m <= 1000 for m in multiples)
    ):
        raise LessonError(
            path,
            where,
            f"compare needs 2 to {MAX_RUNS} different positive multiples of the rate, "
            f"separated by '|' (e.g. 0.1 | 1 | 10); got {raw[:40]!r}.",
        )
    return tuple(multiples)
