"""The scenario model (format versions 1 and 2): one frozen model class per part of an
exercise.

Field docs here are the format's reference: ``drillsim schema`` and ``docs/format.md`` are
generated from or checked against them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from drillsim import limits
from drillsim.durations import Duration
from drillsim.scenario.conditions import Condition, IncidentIs
from drillsim.scenario.shape import Id, Model, Template, spec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal, TypeVar

    Item = TypeVar("Item", "Audience", "Decision")
else:
    from drillsim.scenario.shape import Literal

FORMAT_VERSION = 2
"""The newest format; a file without ``format`` is format 1, which keeps its bounds."""

Difficulty = Literal["intro", "standard", "hard"]
AudienceKind = Literal["internal", "partner", "external", "press"]
Channel = Literal["monitoring", "chat", "email", "social", "status_page", "phone"]
FormatVersion = Literal[1, 2]
VendorEta = Literal["vendor"]

FAKER_PROVIDERS: tuple[str, ...] = (
    "company",
    "company_suffix",
    "catch_phrase",
    "bs",
    "name",
    "first_name",
    "last_name",
    "job",
    "city",
    "country",
    "domain_name",
    "user_name",
    "color_name",
    "word",
    "month_name",
    "day_of_week",
    "random_int",
)
"""Faker providers a scenario may draw variables from (random_int takes min and max)."""
if TYPE_CHECKING:  # a Literal built from a tuple is not a static type: the checker sees str
    FakerProvider = str
else:
    FakerProvider = Literal[FAKER_PROVIDERS]

FAKER_LOCALES: tuple[str, ...] = tuple(
    """
    am_ET ar_AA ar_AE ar_BH ar_DZ ar_EG ar_JO ar_PS ar_SA az_AZ bg_BG bn_BD bs_BA cs_CZ da_DK de
    de_AT de_CH de_DE de_LI de_LU dk_DK el_CY el_GR en en_AU en_BD en_CA en_GB en_IE en_IN en_KE
    en_MS en_NG en_NZ en_PH en_PK en_TH en_US es es_AR es_CA es_CL es_CO es_ES es_MX es_VE et_EE
    fa_IR fi_FI fil_PH fr_BE fr_CA fr_CH fr_DZ fr_FR ga_IE gu_IN ha_NG he_IL hi_IN hr_HR hu_HU
    hy_AM id_ID ig_NG is_IS it_CH it_IT ja_JP ka_GE ko_KR la lb_LU lt_LT lv_LV mk_MK mr_IN mt_MT
    ne_NP ng_NG nl_BE nl_NL no_NO or_IN pl_PL pt_BR pt_PT ro_RO ru_RU si_LK sk_SK sl_SI sq_AL
    sr_BA sv_SE sw ta_IN th th_TH tl_PH tr_TR tw_GH uk_UA uz_UZ vi_VN yo_NG zh_CN zh_TW zu_ZA
    """.split()  # noqa: SIM905 (a list of 110 quoted names would bury them)
)
"""Locales Faker draws in (its list, less the deprecated fr_QC); a test keeps it in step."""
if TYPE_CHECKING:
    FakerLocale = str
else:
    FakerLocale = Literal[FAKER_LOCALES]

OPEN = IncidentIs(incident="open")
"""An expected action without ``when`` is owed from T+0 while the incident is open."""

DEFAULT_PREMATURE_PENALTY: dict[str, float] = {
    "internal": 0.0,
    "partner": 10.0,
    "external": 15.0,
    "press": 30.0,
}
"""Restraint penalty for telling an audience before it is affected, by kind: an unsolicited
statement to the press about an outage nobody outside noticed makes the story."""


class Role(Model):
    name: Template = spec("Role name, e.g. Incident lead.")
    brief: Template = spec("What this role does during the drill.")


class Briefing(Model):
    situation: Template = spec("The situation as the team hears it at T+0.")
    roles: tuple[Role, ...] = spec("Roles to hand out around the table.", default=())
    objectives: tuple[Template, ...] = spec("What the team should achieve.", default=())
    rules: tuple[Template, ...] = spec("Extra rules of the game for this scenario.", default=())


class FakerVariable(Model):
    faker: FakerProvider = spec("Faker provider to draw from (allowlist only).")
    min: int = spec(
        "Lowest value (random_int only).",
        default=0,
        ge=-limits.MAX_WHOLE_NUMBER,
        le=limits.MAX_WHOLE_NUMBER,
    )
    max: int = spec(
        "Highest value (random_int only).",
        default=9999,
        ge=-limits.MAX_WHOLE_NUMBER,
        le=limits.MAX_WHOLE_NUMBER,
    )


class ChoiceVariable(Model):
    choices: tuple[str, ...] = spec("One of these texts, drawn per run.")


class FixedVariable(Model):
    value: str = spec("The same text in every run.")


class TemplateVariable(Model):
    template: str = spec(
        "Text built from other variables (format 2), e.g. '{first}.{last}@{domain}'."
    )
    lowercase: bool = spec(
        "Lowercase the filled text (an email address, a handle); default: as written.",
        default=False,
    )


class LinkedChoiceVariable(Model):
    linked_choices: tuple[dict[str, str], ...] = spec(
        "One of these sets of linked values, drawn per run (format 2); each key is a variable "
        "of its own, e.g. {crm: Salesforce, automation: Pardot}.",
        most=limits.MOST_VARIABLES,
    )


Variable = FakerVariable | ChoiceVariable | FixedVariable | TemplateVariable | LinkedChoiceVariable


class Cadence(Model):
    first_update: Duration = spec(
        "First update due this long after the audience is impacted.", default=Duration(900)
    )
    max_silence: Duration = spec(
        "Longest acceptable gap between updates (and cap on promises).", default=Duration(1800)
    )
    min_interval: Duration = spec(
        "Updates closer than this with nothing new count as noise.", default=Duration(600)
    )
    weight: float = spec(
        "Weight of this audience in the cadence score.", default=1.0, ge=0, le=limits.MAX_WEIGHT
    )


class UpdateChannel(Model):
    id: Id = spec("Referred to by audiences (channels) and updates (channel).")
    label: Template = spec("Shown to players, e.g. Email or In-app banner.")
    down: Condition = spec(
        "While this holds (true state), updates sent over the channel bounce: they are "
        "journaled as sent and bounced, the team is told, and the audience has not heard.",
        default=False,
    )


class CadencePhase(Model):
    start: Duration = spec(
        "From this exercise time on (the first phase from 0m; each later than the one before).",
        key="from",
    )
    first_update: Duration | None = spec(
        "First update due this long after the audience is impacted in this phase "
        "(default: the phase before's, or 15m).",
        default=None,
    )
    max_silence: Duration | None = spec(
        "Longest acceptable gap between updates sent in this phase, and cap on their promises "
        "(default: the phase before's, or 30m).",
        default=None,
    )
    min_interval: Duration | None = spec(
        "Updates sent in this phase closer than this with nothing new count as noise "
        "(default: the phase before's, or 10m).",
        default=None,
    )
    weight: float | None = spec(
        "Weight of this audience in the cadence score, for the whole drill: first phase only "
        "(default 1).",
        default=None,
        ge=0,
        le=limits.MAX_WEIGHT,
    )


class Phase:
    """A cadence phase resolved: from ``start`` (seconds) on, ``policy`` is in force."""

    __slots__ = ("policy", "start")

    def __init__(self, start: float, policy: Cadence) -> None:
        self.start = start
        self.policy = policy

    def __repr__(self) -> str:
        return f"Phase({self.start!r}, {self.policy!r})"


def default_cadence(kind: str) -> Cadence:
    """The cadence an audience of ``kind`` is owed when its file writes none (and the base of
    a list of phases): the press works to deadlines measured in hours, and hearing from you
    more than once an hour with nothing new is noise."""
    if kind == "press":
        return Cadence(
            first_update=Duration(3600), max_silence=Duration(7200), min_interval=Duration(3600)
        )
    return Cadence()


def resolve_phases(
    written: Cadence | tuple[CadencePhase, ...] | None, kind: str = "internal"
) -> tuple[Phase, ...]:
    """The cadence phases of an audience, each field not written taken from the phase before
    (the first phase's from the defaults of its kind); a single policy is one phase from 0m,
    and none written is its kind's default."""
    if written is None:
        return (Phase(0.0, default_cadence(kind)),)
    if isinstance(written, Cadence):
        return (Phase(0.0, written),)
    phases: list[Phase] = []
    policy = default_cadence(kind)
    for index, phase in enumerate(written):
        changes = {
            name: value
            for name in ("first_update", "max_silence", "min_interval", "weight")
            if (value := getattr(phase, name)) is not None and (name != "weight" or index == 0)
        }
        policy = policy.replace(**changes)
        phases.append(Phase(float(phase.start), policy))
    return tuple(phases) or (Phase(0.0, policy),)


class Audience(Model):
    id: Id = spec("Referred to by updates, expectations and conditions.")
    name: Template = spec("Shown to players, e.g. Executive team.")
    kind: AudienceKind = spec(
        "internal, partner, external or press (format 2; see Audience kinds).", default="internal"
    )
    description: Template = spec("Who they are and what they need.", default="")
    impacted: Condition = spec(
        "When this audience is impacted (true state); cadence is owed from then on.",
        default=True,
    )
    impacted_both_ways: bool = spec(
        "Format 2: the audience stops being affected when impacted stops holding (no updates "
        "are owed then) and is affected again when it holds again; otherwise it stays "
        "affected from the first time it holds.",
        default=False,
    )
    cadence_written: Cadence | tuple[CadencePhase, ...] | None = spec(
        "Cadence policy; defaults shown per field (press: 1h, 2h, 1h). Format 2: or a list of "
        "phases, each in force from an exercise time on, e.g. [{from: 0m, max_silence: 30m}, "
        "{from: 4h, max_silence: 12h}].",
        default=None,
        key="cadence",
        most=limits.MOST_CADENCE_PHASES,
    )
    premature_penalty: float | None = spec(
        "Restraint penalty for updating this audience before it is impacted "
        "(default: internal 0, partner 10, external 15).",
        default=None,
        ge=0,
        le=limits.MAX_PENALTY,
    )
    channels: tuple[Id, ...] = spec(
        "Channels that reach this audience (format 2), the default first; none: the team "
        "reaches it directly, and nothing bounces.",
        default=(),
        most=limits.MOST_CHANNELS,
    )

    @cached_property
    def phases(self) -> tuple[Phase, ...]:
        """Its cadence phases, in order; one from 0m unless the file lists phases (worked out
        on first use and then read as a plain attribute: scoring asks it of every update)."""
        return resolve_phases(self.cadence_written, self.kind)

    @cached_property
    def phased(self) -> bool:
        """Its cadence changes during the drill (more than one phase)."""
        return len(self.phases) > 1

    def cadence_at(self, t: float) -> Cadence:
        """The cadence policy in force at exercise time ``t`` (seconds)."""
        phases = self.phases
        found = phases[0].policy
        for phase in phases[1:]:
            if phase.start > t:
                break
            found = phase.policy
        return found

    @property
    def cadence(self) -> Cadence:
        """The cadence policy at T+0; code judging a moment asks :meth:`cadence_at`."""
        return self.phases[0].policy

    @property
    def weight(self) -> float:
        """Its weight in the cadence score (the same in every phase)."""
        return float(self.phases[0].policy.weight)

    @property
    def premature_weight(self) -> float:
        if self.premature_penalty is not None:
            return self.premature_penalty
        return DEFAULT_PREMATURE_PENALTY[self.kind]


class Fact(Model):
    id: Id = spec("Referred to by injects (reveals) and updates (facts cited).")
    text: Template = spec("The fact as a short sentence.")
    eta: VendorEta | None = spec(
        "vendor: the fact is a resolution time the vendor published (format 2); once it is "
        "revealed, an update may relay it (eta: vendor) without the penalty for inventing one.",
        default=None,
    )


class Unknown(Model):
    id: Id = spec("Referred to by updates that state it.")
    text: Template = spec("The open question, e.g. When the platform will be back.")
    answered_by: Id | None = spec(
        "Fact that answers it; once revealed it is no longer unknown.", default=None
    )


class Lognormal(Model):
    median: Duration = spec(
        "Median total outage duration.", ge=limits.SHORTEST_OUTAGE, le=limits.LONGEST_OUTAGE
    )
    sigma: float = spec(
        "Spread (log-space standard deviation).",
        ge=limits.SMALLEST_SIGMA,
        le=limits.LARGEST_SIGMA,
    )


class Fixed(Model):
    fixed: Duration = spec(
        "Scripted total outage duration, the same every run.",
        ge=limits.SHORTEST_OUTAGE,
        le=limits.LONGEST_OUTAGE,
    )


Distribution = Lognormal | Fixed

DEFAULT_DURATION = Lognormal(median=Duration(4500), sigma=1.1)


class Truth(Model):
    duration: Distribution = spec(
        "Hidden outage duration, drawn per seed (default median 75m, sigma 1.1).",
        default=DEFAULT_DURATION,
    )
    flags: dict[str, Condition] = spec(
        "Named true-state conditions, e.g. customer_visible: {incident_open_for: 40m}.",
        factory=dict,
        most=limits.MOST_FLAGS,
    )


class StreamPhase(Model):
    when: Condition = spec("While this holds (true state), the stream loses at this phase's rate.")
    rate: float = spec("Loss per minute in this phase.", ge=0, le=limits.MAX_LOSS_RATE)


class OneOffLoss(Model):
    at: Duration = spec("The moment of the loss (exercise time).")
    loss: float = spec(
        "Lost at that moment if the incident is still open, in impact units.",
        ge=0,
        le=limits.MAX_COST,
    )
    unless: Condition = spec("No loss if this holds at that moment.", default=False)


class RecoveryPhase(Model):
    lasting: Duration = spec("How long this phase lasts.", key="for", gt=0)
    rate: float = spec("Loss per minute in this phase.", ge=0, le=limits.MAX_LOSS_RATE)


class Stream(Model):
    """A stream whose loss starts, stops or changes with conditions (format 2)."""

    rate: float = spec(
        "Loss per minute while the incident is open and no phase holds.",
        ge=0,
        le=limits.MAX_LOSS_RATE,
    )
    phases: tuple[StreamPhase, ...] = spec(
        "While the incident is open, the first phase whose condition holds sets the rate.",
        default=(),
        most=limits.MOST_STREAM_PARTS,
    )
    once: tuple[OneOffLoss, ...] = spec(
        "One-off losses at a moment, unless a condition holds then.",
        default=(),
        most=limits.MOST_STREAM_PARTS,
    )
    recovery: tuple[RecoveryPhase, ...] = spec(
        "After the resolution, one phase after another: the long tail of the clean-up.",
        default=(),
        most=limits.MOST_STREAM_PARTS,
    )


class Impact(Model):
    unit: str = spec("Unit of loss, e.g. leads.")
    label: Template = spec("Meter label, e.g. Leads not captured.")
    streams: dict[str, float | Stream] = spec(
        "Loss per minute while the incident is open, by stream (format 2: a stream with "
        "phases, one-off losses and recovery); plan B options act on one.",
        most=limits.MOST_STREAMS,
    )

    def stream(self, name: str) -> Stream:
        """The stream ``name`` (a flat rate read as a stream without phases; none: 0)."""
        found = self.streams.get(name, 0.0)
        if isinstance(found, Stream):
            return found
        # A flat rate's stream is made once, kept in the instance's dict as Scenario.audience
        # keeps its index: plan-B scoring reads one for every decision of every run.
        flat: dict[str, Stream] = self.__dict__.setdefault("_flat_streams", {})
        made = flat.get(name)
        if made is None:
            made = flat[name] = Stream(rate=float(found))
        return made


class Inject(Model):
    id: Id = spec("Referred to by expectations and conditions.")
    at: Duration | None = spec("Delivered at this exercise time.", default=None)
    when: Condition | None = spec("Or: delivered when this condition first holds.", default=None)
    channel: Channel = spec("monitoring, chat, email, social, status_page or phone.")
    sender: Template = spec("Who it comes from.", key="from")
    subject: Template = spec("Optional headline.", default="")
    text: Template = spec("The message itself.")
    reveals: tuple[Id, ...] = spec("Facts the team learns from it.", default=())
    belief: Distribution | None = spec(
        "The team's belief about the outage duration from now on.", default=None
    )
    resolves: bool = spec(
        "This inject announces the resolution: it fires when the hidden truth says the "
        "incident is over (give no at/when).",
        default=False,
    )


class Expectation(Model):
    id: Id = spec("Referred to by conditions (expectation_failed / expectation_met).")
    audience: Id = spec("The audience that should hear from the team.")
    within: Duration = spec("Deadline after the trigger.")
    after: Id | None = spec("Inject that starts the clock (default: T+0).", default=None)
    description: Template = spec("What is expected, in plain words.", default="")


class Risk(Model):
    text: Template = spec("What could go wrong.")
    probability: float = spec("Chance it happens.", ge=0, le=1)
    cost: float = spec("Loss if it does, in impact units.", ge=0, le=limits.MAX_COST)


class Option(Model):
    id: Id = spec("Option id, unique within its decision.")
    label: Template = spec("Short name shown on the option.")
    description: Template = spec("What doing it means.", default="")
    setup: Duration = spec("Time before it takes effect.", default=Duration(0))
    cost: float = spec(
        "Effort and fixed cost, in impact units.", default=0.0, ge=0, le=limits.MAX_COST
    )
    effort: Template = spec("Effort in plain words, e.g. two marketers for an hour.", default="")
    effectiveness: float = spec(
        "Share of the decision's stream loss it removes once in effect.", default=0.0, ge=0, le=1
    )
    risks: tuple[Risk, ...] = spec("Side risks.", default=(), most=limits.MOST_RISKS)
    requires: Condition = spec(
        "Prerequisite; the option is unavailable until it holds.", default=True
    )
    requires_note: Template = spec("Shown while the prerequisite is missing.", default="")

    @property
    def expected_risk_cost(self) -> float:
        """Probability-weighted cost of the side risks, in impact units."""
        return sum(risk.probability * risk.cost for risk in self.risks)

    @property
    def does_nothing(self) -> bool:
        """No setup, cost, effect or risk: choosing it is waiting, so it closes nothing."""
        return (
            float(self.setup) == 0.0
            and self.cost == 0.0
            and self.effectiveness == 0.0
            and not self.risks
        )


class Decision(Model):
    id: Id = spec("Referred to by conditions (chosen).")
    prompt: Template = spec("The question put to the team.")
    stream: str = spec("The impact stream its options act on.")
    at: Duration | None = spec("Opens at this exercise time.", default=None)
    when: Condition | None = spec("Or: opens when this condition first holds.", default=None)
    timeout: Duration = spec(
        "How long it stays open before the default is taken.",
        ge=limits.SHORTEST_DECISION_TIMEOUT,
        le=limits.LONGEST_DECISION_TIMEOUT,
    )
    default: Id = spec("Option taken on timeout.")
    options: tuple[Option, ...] = spec(
        "The choices, usually including a wait option.", most=limits.MOST_OPTIONS
    )


class Expected(Model):
    within: Duration = spec("Deadline after the condition first holds.")
    when: Condition | None = spec(
        "Owed from the moment this condition first holds; no longer owed if it stops holding "
        "before the deadline (default: from T+0, while the incident is open).",
        default=None,
    )
    penalty: float = spec(
        "Restraint penalty weight when the action is missed.",
        default=15.0,
        ge=0,
        le=limits.MAX_PENALTY,
    )
    deduction: Template = spec(
        "Why missing it matters, shown in the debrief and the report when it is missed.",
        default="",
    )

    @property
    def owed_while(self) -> Condition:
        """The condition the deadline runs from (and lapses with)."""
        return self.when if self.when is not None else OPEN


class Action(Model):
    id: Id = spec("Referred to by conditions (action_taken).")
    label: Template = spec("Shown in the action catalogue.")
    description: Template = spec("What it does.", default="")
    justified_if: Condition = spec(
        "When it is proportionate, judged on the true state at that moment."
    )
    penalty: float = spec(
        "Restraint penalty weight when taken unjustified.", ge=0, le=limits.MAX_PENALTY
    )
    why: Template = spec("Why it is or is not proportionate, shown in the debrief.", default="")
    repeatable: bool = spec(
        "Taking it again is part of doing it (a status-page update); otherwise a second time "
        "is a duplicate and costs restraint.",
        default=False,
    )
    expected: Expected | None = spec(
        "The team should take it in time (format 2): missing it costs restraint.",
        default=None,
    )


class Weights(Model):
    cadence: float = spec(
        "Weight of communication cadence.", default=0.4, ge=0, le=limits.MAX_WEIGHT
    )
    plan_b: float = spec(
        "Weight of plan-B decision quality.", default=0.3, ge=0, le=limits.MAX_WEIGHT
    )
    restraint: float = spec("Weight of restraint.", default=0.3, ge=0, le=limits.MAX_WEIGHT)


class Scoring(Model):
    weights: Weights = spec("Overall score weights.", factory=Weights)
    grace: Duration = spec("Slack on deadlines and promises.", default=Duration(300))
    checkpoint: Duration = spec(
        "Plan-B decision checkpoint spacing.",
        default=Duration(60),
        ge=limits.SHORTEST_CHECKPOINT,
        le=limits.LONGEST_CHECKPOINT,
    )
    closure_within: Duration = spec(
        "A resolved message should reach impacted audiences this soon after resolution.",
        default=Duration(900),
    )
    eta_penalty: float = spec(
        "Restraint penalty for giving customers or partners a resolution time.",
        default=20.0,
        ge=0,
        le=limits.MAX_PENALTY,
    )
    silence_penalty: float = spec(
        "Restraint penalty per impacted audience left without any word past its first-update "
        "deadline plus its longest silence: restraint is never silence.",
        default=15.0,
        ge=0,
        le=limits.MAX_PENALTY,
    )
    speculation_penalty: float = spec(
        "Restraint penalty for an update citing a fact not yet revealed, "
        "or calling the incident resolved before it is.",
        default=10.0,
        ge=0,
        le=limits.MAX_PENALTY,
    )


class Lessons(Model):
    plan: Template = spec(
        "Lesson on having a crisis plan.",
        default="Have a crisis plan: know who owns what before the day comes.",
    )
    plan_b: Template = spec(
        "Lesson on plan B.",
        default="Prepare a plan B and judge it on what you know, not on luck.",
    )
    communicate: Template = spec(
        "Lesson on communication.",
        default="Over-communicate with impacted people: what you know, what you don't, "
        "and when you will be back.",
    )
    restraint: Template = spec(
        "Lesson on restraint.",
        default="Don't panic or overreact: match the response to the real impact.",
    )


class Scenario(Model):
    format: FormatVersion = spec(
        "Scenario format version: 1 (the default) or 2, which adds days and multi-day drills.",
        default=1,
    )
    id: Id = spec("Stable id of the scenario, used in journals and history.")
    title: Template = spec("Title shown in the picker.")
    summary: Template = spec("One or two sentences for the picker.")
    version: str = spec("Scenario version; bump it when play or scoring changes.")
    tags: tuple[str, ...] = spec("Free tags, e.g. marketing, email.", default=())
    difficulty: Difficulty = spec("intro, standard or hard.", default="standard")
    length: Duration = spec(
        "Default exercise length (at most 12h in format 1).",
        ge=limits.SHORTEST_DRILL,
        le=limits.LONGEST_DRILL,
        format_1_le=limits.FORMAT_1_LONGEST_DRILL,
    )
    speed: float = spec(
        "Default speed (exercise seconds per real second).",
        default=1.0,
        ge=limits.MIN_SPEED,
        le=limits.MAX_SPEED,
    )
    locale: FakerLocale = spec("Faker locale for drawn variables.", default="en_US")
    briefing: Briefing = spec("What the team reads before the clock starts.")
    variables: dict[str, Variable] = spec(
        "Per-run values used in texts as {name}.", factory=dict, most=limits.MOST_VARIABLES
    )
    channels: tuple[UpdateChannel, ...] = spec(
        "Channels updates go over (format 2); one may be down while a condition holds.",
        default=(),
        most=limits.MOST_CHANNELS,
    )
    audiences: tuple[Audience, ...] = spec(
        "Who may need to hear from the team.", most=limits.MOST_AUDIENCES
    )
    facts: tuple[Fact, ...] = spec("What the team can learn.", default=(), most=limits.MOST_FACTS)
    unknowns: tuple[Unknown, ...] = spec(
        "Open questions updates can state.", default=(), most=limits.MOST_UNKNOWNS
    )
    truth: Truth = spec("The hidden truth, drawn per seed.", factory=Truth)
    belief: Distribution = spec(
        "The team's starting belief about the outage duration.", default=DEFAULT_DURATION
    )
    impact: Impact = spec("The loss the incident causes while it lasts.")
    injects: tuple[Inject, ...] = spec(
        "The master scenario events list (MSEL).", most=limits.MOST_INJECTS
    )
    expectations: tuple[Expectation, ...] = spec(
        "Machine-checkable expectations.", default=(), most=limits.MOST_EXPECTATIONS
    )
    decisions: tuple[Decision, ...] = spec(
        "Plan-B decisions.", default=(), most=limits.MOST_DECISIONS
    )
    actions: tuple[Action, ...] = spec(
        "Tempting actions beyond updates and decisions.", default=(), most=limits.MOST_ACTIONS
    )
    scoring: Scoring = spec("Scoring settings.", factory=Scoring)
    lessons: Lessons = spec("Debrief lessons.", factory=Lessons)

    def audience(self, audience_id: str) -> Audience:
        # By an index made on first use: the engine asks for audiences thousands of times a
        # drill (every update's routes and checks).
        return self._by_id("_audiences_by_id", self.audiences, audience_id)

    def decision(self, decision_id: str) -> Decision:
        # By an index made on first use, as audience(): plan-B scoring asks for the decisions
        # chosen before each one opened, for every decision of every run.
        return self._by_id("_decisions_by_id", self.decisions, decision_id)

    def _by_id(self, index: str, items: tuple[Item, ...], item_id: str) -> Item:
        """The first of ``items`` with id ``item_id``, by an index made on first use and kept
        in the instance's dict as cached_property keeps Audience.phases (``replace`` makes a
        new instance, without it)."""
        found: dict[str, Item] | None = self.__dict__.get(index)
        if found is None:  # made whole before it is kept: another thread may be asking too
            found = {}
            for item in items:
                found.setdefault(item.id, item)  # the first of an id, as a search finds it
            self.__dict__[index] = found
        try:
            return found[item_id]
        except KeyError:
            raise StopIteration from None  # as the lookups beside it answer an unknown id

    def inject(self, inject_id: str) -> Inject:
        return next(item for item in self.injects if item.id == inject_id)

    def action(self, action_id: str) -> Action:
        return next(item for item in self.actions if item.id == action_id)

    def expectation(self, expectation_id: str) -> Expectation:
        return next(item for item in self.expectations if item.id == expectation_id)

    def fact(self, fact_id: str) -> Fact:
        return next(item for item in self.facts if item.id == fact_id)

    def channel(self, channel_id: str) -> UpdateChannel:
        return next(item for item in self.channels if item.id == channel_id)


def option_of(decision: Decision, option_id: str) -> Option:
    return next(item for item in decision.options if item.id == option_id)


def share_left(stream: str, chosen: Iterable[tuple[Decision, str | None]]) -> float:
    """Share of ``stream``'s loss still running once the options ``chosen`` (decision, option
    id or None) are in force: each cuts by its effectiveness what the others leave, as the
    impact meter counts it. A follow-up decision on a stream an earlier plan B already cut
    is weighed on what is left of it."""
    left = 1.0
    for decision, option_id in chosen:
        if decision.stream == stream and option_id is not None:
            left *= 1.0 - option_of(decision, option_id).effectiveness
    return left
