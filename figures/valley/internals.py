"""What the optimizer holds at one step, as arrows over the map and numbers in its update rule.

At frame t the walker stands at path[t]. Its arrows are displacements in the units of the map:
the plain gradient step -eta_t g_t (what SGD would do from here), the step actually taken
path[t+1] - path[t], and for momentum and Nesterov the velocity's share -eta_t b_t. Adaptive
optimizers (Adagrad, RMSprop, Adam, ...) scale each coordinate by its own effective rate,
reported as numbers beside the arrows. This module knows no optimizer by name: the caller
passes what the catalog says (`core.catalog.optimizers`: the state's quantities, the
``figure_form`` of the step, and only the weight decay that enters the gradient).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from figures.valley.path import f4

ARROW_COLORS = {"gradient": "#000000", "step": "#0072B2", "velocity": "#CC79A7"}
ARROW_NAMES = {"gradient": "−η∇f (gradient step)", "step": "step taken", "velocity": "−η·velocity"}


def frame_arrays(
    path: np.ndarray,
    grad: np.ndarray,
    lr: np.ndarray,
    state: Mapping[str, np.ndarray],
    weight_decay: float = 0.0,
) -> dict[str, dict]:
    """Per-frame arrays for the player, float32 specs of length n + 1 (the last frame is 0).

    gx, gy: the gradient g_t (with weight decay); ux, uy: -eta_t g_t; sx, sy: step taken;
    vx, vy: -eta_t b_t (momentum family); ex, ey: per-coordinate effective rate (adaptive).
    """
    path = np.asarray(path, dtype=np.float64)
    n = len(path) - 1
    g = np.asarray(grad, dtype=np.float64)[: n + 1] + weight_decay * path
    eta = np.zeros(n + 1)
    eta[:n] = np.asarray(lr, dtype=np.float64)[:n]
    step = np.zeros((n + 1, 2))
    step[:n] = np.diff(path, axis=0)
    out = {
        "gx": f4(g[:, 0]),
        "gy": f4(g[:, 1]),
        "ux": f4(-eta * g[:, 0]),
        "uy": f4(-eta * g[:, 1]),
        "sx": f4(step[:, 0]),
        "sy": f4(step[:, 1]),
        "eta": f4(eta),
    }
    for name, keys in (("velocity", ("vx", "vy")), ("effective_lr", ("ex", "ey"))):
        if name in state:
            q = np.zeros((n + 1, 2))
            q[:n] = np.asarray(state[name], dtype=np.float64)[:n]
            if name == "velocity":
                q = -eta[:, None] * q
            out[keys[0]], out[keys[1]] = f4(q[:, 0]), f4(q[:, 1])
    return out


def arrow_trace(kind: str, width: float = 2.5) -> dict:
    """An empty arrow trace (tail, head) that the player fills per frame."""
    color = ARROW_COLORS[kind]
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": ARROW_NAMES[kind],
        "x": [],
        "y": [],
        "line": {"color": color, "width": width},
        "marker": {
            "symbol": ["circle", "arrow"],
            "size": [0, 4 * width + 6],
            "angleref": "previous",
            "color": color,
        },
        "hoverinfo": "skip",
        "cliponaxis": True,
    }


def _num(v: float) -> str:
    """A number for LaTeX: 4 significant digits, powers of ten as 10^{k}."""
    if v == 0 or not np.isfinite(v):
        return "0" if v == 0 else r"\infty"
    text = f"{v:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def _vec(v) -> str:
    return rf"\begin{{pmatrix}} {_num(float(v[0]))} \\ {_num(float(v[1]))} \end{{pmatrix}}"


def filled_update_rule(
    form: str,
    t: int,
    path: np.ndarray,
    grad: np.ndarray,
    lr: np.ndarray,
    state: Mapping[str, np.ndarray],
    weight_decay: float = 0.0,
    momentum: float = 0.0,
) -> str | None:
    """The step t -> t+1 with this run's numbers, in LaTeX (None past the last step).

    ``form``, how the step is written: "sgd" (against the gradient), "momentum" (through the
    velocity), "nesterov" (with the look-ahead), anything else rescaled per coordinate.
    ``weight_decay``: the L2 decay folded into the gradient (0 when it is decoupled).
    """
    path = np.asarray(path, dtype=np.float64)
    n = len(path) - 1
    if not 0 <= t < n:
        return None
    theta, after = path[t], path[t + 1]
    g = np.asarray(grad[t], dtype=np.float64) + weight_decay * theta
    eta = float(lr[t])
    lines = [rf"t = {t},\quad \eta_t = {_num(eta)},\quad g_t = {_vec(g)}"]
    if form == "sgd":
        lines.append(rf"\theta_{{t+1}} = {_vec(theta)} - {_num(eta)}\, {_vec(g)} = {_vec(after)}")
    elif form in ("momentum", "nesterov") and "velocity" in state:
        b = np.asarray(state["velocity"][t], dtype=np.float64)
        inner = rf"{_vec(b)}"
        if form == "nesterov":
            inner = rf"\left({_vec(g)} + {_num(momentum)}\, {_vec(b)}\right)"
        lines.append(rf"b_t = {_vec(b)}")
        lines.append(rf"\theta_{{t+1}} = {_vec(theta)} - {_num(eta)}\, {inner} = {_vec(after)}")
    else:
        if "effective_lr" in state:
            e = np.asarray(state["effective_lr"][t], dtype=np.float64)
            lines.append(rf"\text{{effective rate per coordinate}} = {_vec(e)}")
        step = after - theta
        lines.append(rf"\theta_{{t+1}} = {_vec(theta)} + {_vec(step)} = {_vec(after)}")
    return r"\begin{gathered} " + r" \\ ".join(lines) + r" \end{gathered}"
