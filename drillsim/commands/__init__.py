"""The ``drillsim`` commands: one module each, registered in ``COMMANDS``.

A command module has a ``configure(parser)`` that gives its parser a description, examples
and arguments, and a ``run(args) -> int`` that does the work. ``run`` returns the exit code
of a command that ran to the end (0, or 1 when a check it ran failed) and raises
``CommandError`` for anything that stops it. Modules are imported only when their command
is used, so they may import at module level only what every use needs.

To add a command: write ``drillsim/commands/<name>.py`` and add one line to ``COMMANDS``.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
"""Invalid input, or a check that failed."""
EXIT_USAGE = 2
"""A usage error, or a path that cannot be read or written."""
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """What stops a command: ``main`` prints ``drillsim <command>: message`` and exits.

    ``details`` are lines that already say where they come from (``path:line:col: ...``),
    printed as they are before the message.
    """

    def __init__(
        self, message: str, exit_code: int = EXIT_INVALID, *, details: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.details = details


class WorkerFailures:
    """``with WorkerFailures():`` around a batch played in worker processes: a worker that
    dies or cannot start stops the command with one line saying what to do."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if error is not None:
            from drillsim.workers import WorkerFailed

            if isinstance(error, WorkerFailed):
                raise CommandError(str(error)) from None


class Command:
    """A registered command: its name, its one-line help, and the module that runs it."""

    __slots__ = ("module", "name", "summary")

    def __init__(self, name: str, summary: str, module: str | None = None) -> None:
        self.name = name
        self.summary = summary
        self.module = f"drillsim.commands.{module or name}"


COMMANDS = (
    Command("play", "play a drill in the terminal (straight to the briefing)"),
    Command("validate", "check scenario files and report every problem as file:line:col"),
    Command("new", "start a scenario file: the commented template, or a copy of another"),
    Command("preview", "show a scenario's events list, and with --decisions what plan B is worth"),
    Command("lint", "validate, warn about weak drill design, play golden runs, check scoring"),
    Command("schema", "print the scenario format's JSON Schema (draft 2020-12)"),
    Command("list", "list the bundled scenarios", module="listing"),
    Command(
        "simulate", "play a scenario headless with baseline bots over many seeds and score them"
    ),
    Command("score", "re-score a run from its journal"),
    Command("run", "play a scenario headless from an actions file and score it"),
    Command("resume", "continue an interrupted run from its journal, where it stopped"),
    Command("report", "write a run's After-Action Report / Improvement Plan (md, json, csv)"),
    Command("runs", "list the runs kept in the history, newest first"),
    Command("show", "the debrief of a past run, as text"),
    Command("compare", "two runs side by side, or a team's trend over its official runs"),
    Command(
        "import",
        "copy journals from elsewhere into the runs folder and the history",
        module="importing",
    ),
    Command("rescore", "score kept runs again with this drillsim's scoring"),
)
"""Every command, in the order ``drillsim --help`` lists them."""
