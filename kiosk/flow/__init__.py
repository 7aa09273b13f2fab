"""The session state machine (Qt-free): steps, transitions, retries, escalation, audit."""
from kiosk.flow.machine import (
    PARTY_STEPS,
    IllegalTransition,
    Outcome,
    SessionFlow,
    State,
    Step,
    StepResult,
)

__all__ = ["PARTY_STEPS", "IllegalTransition", "Outcome", "SessionFlow", "State", "Step", "StepResult"]
