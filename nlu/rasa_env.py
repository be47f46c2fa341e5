"""Prepare the environment before Rasa is imported: no usage reports to a third party, ever."""
from __future__ import annotations

import os

TELEMETRY_VARIABLE = "RASA_TELEMETRY_ENABLED"


def no_telemetry() -> None:
    """Turn Rasa's telemetry off for this process (Rasa reads the variable before its config file)."""
    os.environ[TELEMETRY_VARIABLE] = "false"
