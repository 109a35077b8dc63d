"""Reading a scenario file (or an actions file) into plain data with the line and column of
every value.

Only safe YAML is read (libyaml's safe composer), and every hostile input is answered with a
located problem instead of a traceback: oversized, binary or non-UTF-8 files, tab
indentation, duplicate keys, language-specific tags, alias bombs and absurd nesting.
"""

from __future__ import annotations

import yaml

from drillsim.scenario.document import Document, PathKey, field_name
from drillsim.scenario.problems import Problem, ScenarioError
from drillsim.scenario.textfile import SCENARIO_FILE, FileKind, located

MAX_VALUES = 100_000
MAX_DEPTH = 40

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}
_scalars = yaml.constructor.SafeConstructor()


def _tab_problems(text: str, shown: str) -> list[Problem]:
    if "\t" not in text:
        return []  # the usual case, found without a walk over every line
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            problems.append(
                Problem(
                    shown,
                    number,
                    indent.index("\t") + 1,
                    "",
                    "tab character used for indentation",
                    "YAML indents with spaces only; replace the tab with spaces",
                )
            )
    return problems


def parse_document(text: str, shown: str, kind: FileKind = SCENARIO_FILE) -> Document:
    """Compose YAML text safely into plain data plus positions; raise ScenarioError."""
    tabs = _tab_problems(text, shown)
    if tabs:
        raise ScenarioError(tabs)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or error.context or "invalid YAML"
        if "expected a single document" in str(error):
            what, hint = "more than one YAML document (---)", f"keep one {kind.noun} per file"
        elif "maximum nesting depth" in what:
            hint = "scenarios never nest this deep; flatten the structure"
        else:
            hint = "fix the YAML syntax here (check indentation, colons and quotes)"
            context = error.context_mark
            if error.context and context is not None and context is not mark:
                opened = {
                    "flow sequence": "list",
                    "flow mapping": "mapping",
                    "quoted scalar": "quoted text",
                    "block": "block",
                }
                part = next((v for k, v in opened.items() if k in error.context), "part")
                start = f"line {context.line + 1}, column {context.column + 1}"
                what += f" (in the {part} that starts at {start})"
        raise located(shown, line, column, f"YAML syntax error: {what}", hint) from None
    except yaml.reader.ReaderError as error:
        # libyaml counts the position in bytes: find the character itself instead.
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        offset = found.start() if found else 0
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise located(
            shown,
            line,
            column,
            f"control character U+{error.character:04X} is not allowed in YAML",
            "remove it (a text editor's 'show invisibles' finds it)",
        ) from None
    except yaml.YAMLError as error:
        raise located(shown, 1, 1, f"YAML error: {error}", "fix the YAML syntax") from None
    if node is None:
        raise located(
            shown,
            1,
            1,
            "file holds no YAML value",
            kind.start,
        )
    document = Document(shown, None)
    builder = _Builder(document)
    document.data = builder.build(node, (), 0)
    if builder.problems:
        raise ScenarioError(builder.problems)
    return document


class _Builder:
    """Turns composed YAML nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.count = 0

    def _fail(self, node: yaml.Node, message: str, hint: str, where: PathKey = ()) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(
                self.document.path, mark.line + 1, mark.column + 1, field_name(where), message, hint
            )
        )

    def build(self, node: yaml.Node, where: PathKey, depth: int) -> object:
        self.count += 1
        if self.count > MAX_VALUES:
            if self.count == MAX_VALUES + 1:
                self._fail(
                    node,
                    f"document expands to more than {MAX_VALUES:,} values (an alias bomb?)",
                    "remove the repeated anchors and aliases",
                )
            return None
        if depth > MAX_DEPTH:
            self._fail(
                node,
                f"nested more than {MAX_DEPTH} levels deep",
                "scenarios never need this; flatten the structure",
            )
            return None
        mark = node.start_mark
        self.document.values[where] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        if isinstance(node, yaml.MappingNode):
            if tag != _TAG + "map":
                self._bad_tag(node, where)
                return None
            return self._mapping(node, where, depth)
        if isinstance(node, yaml.SequenceNode):
            if tag != _TAG + "seq":
                self._bad_tag(node, where)
                return None
            return [
                self.build(item, (*where, index), depth + 1)
                for index, item in enumerate(node.value)
            ]
        if not tag.startswith(_TAG) or tag[len(_TAG) :] not in _SCALAR_TAGS:
            self._bad_tag(node, where)
            return None
        kind = tag[len(_TAG) :]
        if kind in ("str", "timestamp"):
            return node.value
        try:
            return getattr(_scalars, f"construct_yaml_{kind}")(node)
        except (ValueError, yaml.YAMLError):
            self._fail(
                node, f"cannot read {node.value!r} as {kind}", "quote it if it is text", where
            )
            return None

    def _bad_tag(self, node: yaml.Node, where: PathKey) -> None:
        shown = node.tag.replace(_TAG, "!!")
        self._fail(
            node,
            f"YAML tag {shown} is not allowed",
            "scenarios hold plain text, numbers, lists and mappings; remove the tag",
            where,
        )

    def _mapping(self, node: yaml.MappingNode, where: PathKey, depth: int) -> dict[str, object]:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self._fail(
                    key_node,
                    "merge keys (<<) are not supported",
                    "write the keys out in full",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (
                _TAG + "str",
                _TAG + "int",
                _TAG + "bool",
                _TAG + "null",
                _TAG + "float",
            ):
                self._fail(key_node, "mapping keys must be plain text", "write the key as a word")
                continue
            key = key_node.value
            mark = key_node.start_mark
            if key in result:
                first = self.document.keys[(*where, key)]
                self._fail(
                    key_node,
                    f"duplicate key {key!r} (first at line {first[0]})",
                    "remove one of them; YAML would silently keep only the last",
                    (*where, key),
                )
                continue
            self.document.keys[(*where, key)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*where, key), depth + 1)
        return result
