"""What ``python -m core`` prints without ``--json``: a few lines a person reads at a glance.

Each function takes the JSON document its command builds (so the two never disagree) and
returns text; `summary` picks the one that fits.
"""

from __future__ import annotations

import json
from typing import Any


def _g(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _simulate(doc: dict) -> str:
    o = doc["outcome"]
    return f"{o['status']} (step {o['step']}): {o['explanation']}"


def _lr_find(doc: dict) -> str:
    s = doc["suggestions"]
    lines = [
        f"Range test, {doc['model']} with {doc['optimizer']}: {len(doc['lr'])} of "
        f"{doc['num_steps']} steps, rates {_g(doc['lr'][0])} to {_g(doc['lr'][-1])}.",
        f"Suggested rates: minimum/10 {_g(s['minimum'])}, valley {_g(s['valley'])}, "
        f"steepest {_g(s['steepest'])}.",
    ]
    if doc.get("note"):
        lines.append(doc["note"])
    return "\n".join(lines)


def _train(doc: dict) -> str:
    end = (
        f"blew up at step {doc['diverged_at']}"
        if doc["diverged_at"] is not None
        else f"{doc['steps']} steps"
    )
    accuracy = doc.get("val_accuracy")  # a classifier's; a regression has none
    held_out = "" if accuracy is None else f", held-out accuracy {100 * accuracy:.1f}%"
    return (
        f"Trained {doc['model']}: {end}; training loss {_g(doc['train_loss'][0])} -> "
        f"{_g(doc['train_loss'][-1])}, validation loss {_g(doc['val_loss'][-1])}{held_out}."
    )


def _sweep(doc: dict) -> str:
    lrs = doc["lr"]
    lines = [f"{len(lrs)} rates from {_g(lrs[0])} to {_g(lrs[-1])}:"]
    for name, r in doc["results"].items():
        finite = [
            (loss, lr) for loss, lr in zip(r["final_loss"], lrs, strict=True) if loss is not None
        ]
        counts = {s: r["status"].count(s) for s in dict.fromkeys(r["status"])}
        tally = ", ".join(f"{n} {s}" for s, n in counts.items())
        best = ""
        if finite:
            loss, lr = min(finite)
            best = f"lowest final loss {_g(loss)} at lr {_g(lr)}; "
        lines.append(f"  {name}: {best}{tally}")
    return "\n".join(lines)


def _analyze(doc: dict) -> str:
    lines = []
    for m in doc["minima"]:
        kind = "global" if m["global"] else "local"
        crit = ", ".join(f"{k} {_g(v)}" for k, v in m["critical_lr"].items())
        lines.append(
            f"{kind} minimum at ({_g(m['x'])}, {_g(m['y'])}), value {_g(m['value'])}, "
            f"condition number {_g(m['condition_number'])}; critical rates: {crit}"
        )
    return "\n".join(lines) or "No minimum found."


def _listing(items: list) -> str:
    return "\n".join(f"{item['name']:<18} {item.get('title', '')}" for item in items)


def summary(result: Any) -> str:
    """The short text for a command's result (its JSON document)."""
    if isinstance(result, dict):
        for key, render in (
            ("outcome", _simulate),
            ("suggestions", _lr_find),
            ("train_loss", _train),
            ("results", _sweep),
            ("minima", _analyze),
        ):
            if key in result:
                return render(result)
    if isinstance(result, list) and all(isinstance(i, dict) and "name" in i for i in result):
        return _listing(result)
    return json.dumps(result, indent=2)
