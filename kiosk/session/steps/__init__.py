"""The five party steps, one module each, one entry point each: `run(env, rec) -> StepOutcome`."""
from __future__ import annotations

from collections.abc import Callable

from kiosk.flow import Step
from kiosk.session.steps import identity, notice, qa, signing, statement
from kiosk.session.steps.base import PartyRecord, StepEnv, StepOutcome

STEPS: dict[Step, Callable[[StepEnv, PartyRecord], StepOutcome]] = {
    Step.IDENTITY: identity.run, Step.NOTICE: notice.run, Step.STATEMENT: statement.run,
    Step.QA: qa.run, Step.SIGNING: signing.run,
}

__all__ = ["STEPS", "PartyRecord", "StepEnv", "StepOutcome"]
