"""Pure scoring of drill journals: cadence, plan-B decision quality, restraint."""

__version__ = "0.1.0"
