"""A lesson's blindfold block: a prominent way into the blindfold walk on a given surface.

````text
```blindfold
surface: bowl
start: 3,2
```
````

Its keys are the walk's settings, with the shared schema's names and ranges (decoded strictly,
as an experiment block's are): ``surface``, ``formula``, ``start`` and ``tol``. It holds no
words of its own (the page draws a fixed invitation), so it states nothing the claims would
have to check; its query opens the walk (`ui.views.blindfold_view`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.lessons.model import LessonError
from core.lessons.syntax import key_values
from core.schema.experiment import Experiment, ExperimentError, decode, encode

BLINDFOLD_KEYS = ("surface", "formula", "start", "tol")


@dataclass(frozen=True)
class BlindfoldBlock:
    id: str
    line: int
    experiment: Experiment  # the walk's surface, formula and start
    tol: float

    @property
    def query(self) -> dict[str, str]:
        """The walk's URL query (only what differs from the defaults)."""
        return encode(self.experiment, {"tol": self.tol})


def parse_blindfold(block_id: str, body: list[str], line: int, path: Path) -> BlindfoldBlock:
    values = key_values(body, line + 1, path, allowed=BLINDFOLD_KEYS, repeated=())
    raw = {k: v for k, (v, _) in values.items()}
    try:
        experiment, view, _ = decode(raw, strict=True)
    except ExperimentError as error:
        name = str(error).split()[0]
        bad = values[name][1] if name in values else line
        raise LessonError(path, bad, str(error)) from None
    return BlindfoldBlock(block_id, line, experiment, float(view["tol"]))
