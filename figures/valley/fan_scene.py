"""A fan (`core.valley.fan.Fan`) as the page's player draws it while the rate is dragged.

    {"slider", "index", "floor", "steps", "paths": K,
     "count": [points drawn a path], "taken": [steps taken], "xy": f2 (x, y pairs),
     "gap": f4 (loss gap a point, `figures.valley.curves.loss_gap`), "final": [final loss],
     "escape": [[x, y] | None], "escape_gap": [gap | None],
     "badge": [[status, words, [flag words]]], "colors": {status: [background, text]}}

Every path's points are concatenated: path k starts after the counts before it. Its drawn
points are at steps ``i * taken // (count - 1)`` (`core.valley.fan.drawn_steps`: the page
computes them, they are not sent). Coordinates travel as float16 (3-4 significant digits: a
fraction of a pixel on the map), the loss gap as float32 (it spans orders of magnitude on a
log axis). Words come from the catalog, as the server's badge (`ui.views.badge`) has them.
"""

from __future__ import annotations

import base64

import numpy as np

from core.catalog.statuses import FLAG_WORD, STATUS_COLOR, STATUS_WORD, STATUSES, step_phrase
from figures.valley.curves import loss_gap


def _b64(values, dtype) -> dict:
    a = np.ascontiguousarray(np.asarray(values, dtype=dtype).ravel())
    name = {np.float16: "f2", np.float32: "f4"}[dtype]
    return {"dtype": name, "bdata": base64.b64encode(a.tobytes()).decode("ascii")}


def _finite(v) -> float | None:
    return float(v) if np.isfinite(v) else None


def badge_entry(outcome) -> list:
    """[status, words, [flag words]] of a verdict, plus its explanation if it has one: what
    the player writes into the page's badge."""
    words = STATUS_WORD.get(outcome.status, outcome.status) + step_phrase(
        outcome.status, outcome.step
    )
    entry = [outcome.status, words, [FLAG_WORD.get(f, f) for f in outcome.flags]]
    explanation = getattr(outcome, "explanation", None)
    return entry + [explanation] if explanation is not None else entry


def fan_data(fan, *, floor: float | None, slider: str, index: int | None = None) -> dict:
    """The fan as JSON for the player; `slider` names the rate slider that drives it (its
    component id), `index` its position now."""
    xy, gaps, escape_gaps = [], [], []
    for k, points in enumerate(fan.drawn):
        loss = points[:, 2].astype(np.float64)
        shown = loss
        if np.isfinite(fan.escape_loss[k]):  # the curve ends where the blow-up landed
            shown = np.append(loss, fan.escape_loss[k])
        gap, _ = loss_gap(shown, floor)
        gaps.append(gap[: len(loss)])
        escape_gaps.append(_finite(gap[-1]) if len(shown) > len(loss) else None)
        xy.append(points[:, 0:2])
    badge = [badge_entry(o) for o in fan.outcomes]
    return {
        "slider": slider,
        "index": index,
        "floor": floor,
        "paths": len(fan.drawn),
        "count": [len(p) for p in fan.drawn],
        "taken": [int(t) for t in fan.taken],
        "xy": _b64(np.concatenate(xy), np.float16),
        "gap": _b64(np.concatenate(gaps), np.float32),
        "final": [float(v) for v in fan.final_loss],
        "escape": [
            None if not np.isfinite(e).all() else [float(e[0]), float(e[1])] for e in fan.escape
        ],
        "escape_gap": escape_gaps,
        "badge": badge,
        "colors": {s: list(STATUS_COLOR[s]) for s in STATUSES},
    }
