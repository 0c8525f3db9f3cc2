"""What checking one claim gave: whether it holds, and what the engine computed.

Its own module so that the 2D claims (`core.lessons.claims`) and the model claims
(`core.lessons.model_runs`) share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.lessons.model import Claim


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    holds: bool
    detail: str  # what the engine computed, in words
