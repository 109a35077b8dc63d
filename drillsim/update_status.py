"""Where an incident stands, as a stakeholder update says it: the one list of statuses."""

from __future__ import annotations

from typing import Literal, get_args

UpdateStatus = Literal["investigating", "identified", "mitigating", "monitoring", "resolved"]

UPDATE_STATUSES: tuple[UpdateStatus, ...] = get_args(UpdateStatus)
"""Every status, in the order an incident moves through them."""
