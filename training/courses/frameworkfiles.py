"""framework.yml: training domains, rubric levels and competencies, which everything else names."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from training.courses.content import (
    CATEGORY_CODE_PATTERN, COMPETENCY_CODE_PATTERN, NO_OPPORTUNITY, RUBRIC_LEVEL_CODES, Competency,
    CompetencyCategory, Framework, Problem, RubricLevel, TrainingDomain, is_slug,
)
from training.courses.fields import read_items, read_number, read_text
from training.courses.reading import FileReader, mapping_fields, parse_yaml, read_source, shown

FRAMEWORK_PATH = "framework.yml"


@dataclass(frozen=True)
class KnownCodes:
    """The codes other files may use; None for a kind when framework.yml could not be read.

    With None, other files' codes of that kind are not checked, so that one broken
    framework.yml does not bury its own problem under a hundred "unknown code" ones.
    """

    domains: set[str] | None = None
    competencies: set[str] | None = None
    levels: set[str] | None = None


def known_codes(framework: Framework | None) -> KnownCodes:
    if framework is None:
        return KnownCodes()
    return KnownCodes(
        domains={domain.code for domain in framework.training_domains},
        competencies={item.code for item in framework.competencies()},
        levels={level.code for level in framework.rubric_levels},
    )


def load_framework(root: Path, problems: list[Problem]) -> Framework | None:
    """Read framework.yml; None (with problems recorded) when anything in it is wrong."""
    if not (root / FRAMEWORK_PATH).is_file():
        problems.append(Problem(FRAMEWORK_PATH, 1, "framework.yml is missing; it lists the training domains, "
                                                   "rubric levels and competencies that courses and tracks use"))
        return None
    source = read_source(root, FRAMEWORK_PATH, problems)
    if source is None:
        return None
    problems_before = len(problems)
    reader = FileReader(FRAMEWORK_PATH, problems)
    fields = mapping_fields(
        reader, parse_yaml(reader, source),
        required={"training_domains", "rubric_levels", "competencies"}, optional=set(), what="framework.yml",
    )
    if fields is None:
        return None
    domain_nodes = read_items(reader, fields, "training_domains")
    category_nodes = read_items(reader, fields, "competencies")
    domains = [read_domain(reader, node) for node in domain_nodes]
    level_nodes = read_items(reader, fields, "rubric_levels")
    levels = [read_rubric_level(reader, node) for node in level_nodes]
    categories = [read_category(reader, node) for node in category_nodes]
    report_repeated_codes(reader, domain_nodes, "training domain")
    report_repeated_codes(reader, category_nodes, "competency category")
    report_repeated_codes(reader, [item for node in category_nodes for item in child_list(node, "items")],
                          "competency")
    level_codes = [shown(code) for code in filter(None, (child_node(node, "code") for node in level_nodes))]
    check_rubric_scale(reader, fields.key_line("rubric_levels"), level_codes, [level for level in levels if level])
    if len(problems) > problems_before:
        return None
    return Framework(
        path=FRAMEWORK_PATH, source=source,
        training_domains=domains, rubric_levels=levels, competency_categories=categories,
    )


def read_domain(reader: FileReader, node: yaml.Node) -> TrainingDomain | None:
    fields = mapping_fields(reader, node, required={"code", "title"}, optional=set(), what="a training domain")
    if fields is None:
        return None
    code, title = read_text(reader, fields, "code"), read_text(reader, fields, "title")
    if code is not None and not is_slug(code):
        reader.report(fields.get("code"), f"training domain code '{code}' should be a slug, "
                                          "such as ethical-responsibility")
        return None
    if code is None or title is None:
        return None
    return TrainingDomain(code=code, title=title)


def read_rubric_level(reader: FileReader, node: yaml.Node) -> RubricLevel | None:
    # rank is optional here only so that `rank: null` reads as "no rank"; the rules follow.
    fields = mapping_fields(
        reader, node, required={"code", "title", "description"}, optional={"rank"}, what="a rubric level",
    )
    if fields is None:
        return None
    code = read_text(reader, fields, "code")
    title, description = read_text(reader, fields, "title"), read_text(reader, fields, "description")
    rank = read_number(reader, fields, "rank", whole=True)
    if code is not None and code not in RUBRIC_LEVEL_CODES:
        reader.report(fields.get("code"), f"unknown rubric level '{code}'; the platform uses exactly these: "
                                          + ", ".join(RUBRIC_LEVEL_CODES))
        return None
    if code == NO_OPPORTUNITY and fields.get("rank") is not None:
        reader.report(fields.get("rank"), "no-opportunity must have rank: null, because it is neither "
                                          "a pass nor a fail")
        return None
    if code not in (None, NO_OPPORTUNITY) and rank is None and fields.get("rank") is None:
        reader.report(fields.line, f"rubric level '{code}' needs a rank, a whole number (higher is better)")
        return None
    if code is None or title is None or description is None:
        return None
    return RubricLevel(code=code, title=title, rank=rank, description=description)


def check_rubric_scale(reader: FileReader, line: int, codes: list[str], levels: list[RubricLevel]) -> None:
    """All five levels present once, ranked in the order of RUBRIC_LEVEL_CODES.

    `codes` are every level's code as written, `levels` the levels that read without problems.
    """
    for code in RUBRIC_LEVEL_CODES:
        if codes.count(code) == 0:
            reader.report(line, f"rubric_levels needs the level '{code}'; the platform uses exactly these: "
                                + ", ".join(RUBRIC_LEVEL_CODES))
        elif codes.count(code) > 1:
            reader.report(line, f"rubric level '{code}' is listed twice; list it once")
    ranked = sorted((level for level in levels if level.rank is not None), key=lambda level: level.rank)
    expected = [code for code in RUBRIC_LEVEL_CODES if code in codes and code != NO_OPPORTUNITY]
    if len(levels) == len(codes) == len(set(codes)) and [level.code for level in ranked] != expected:
        reader.report(line, "rubric level ranks should rise in this order, each higher than the last: "
                            + ", ".join(expected))


def read_category(reader: FileReader, node: yaml.Node) -> CompetencyCategory | None:
    fields = mapping_fields(
        reader, node, required={"code", "title", "items"}, optional=set(), what="a competency category",
    )
    if fields is None:
        return None
    code, title = read_text(reader, fields, "code"), read_text(reader, fields, "title")
    if code is not None and not CATEGORY_CODE_PATTERN.fullmatch(code):
        reader.report(fields.get("code"), f"competency category code '{code}' should be C and two digits, "
                                          "such as C01")
        code = None
    item_nodes = read_items(reader, fields, "items")
    if not item_nodes and fields.get("items") is not None:
        reader.report(fields.get("items"), "a competency category needs at least one item")
    items = [read_competency(reader, item, code) for item in item_nodes]
    if code is None or title is None or None in items:
        return None
    return CompetencyCategory(code=code, title=title, items=items)


def read_competency(reader: FileReader, node: yaml.Node, category_code: str | None) -> Competency | None:
    fields = mapping_fields(
        reader, node, required={"code", "title", "behaviour"}, optional=set(), what="a competency",
    )
    if fields is None:
        return None
    code = read_text(reader, fields, "code")
    title, behaviour = read_text(reader, fields, "title"), read_text(reader, fields, "behaviour")
    if code is not None and not COMPETENCY_CODE_PATTERN.fullmatch(code):
        reader.report(fields.get("code"), f"competency code '{code}' should look like C01.2: "
                                          "the category code, a dot and a number")
        return None
    if code is not None and category_code is not None and not code.startswith(category_code + "."):
        reader.report(fields.get("code"), f"competency '{code}' is listed under {category_code}; "
                                          f"its code should start with {category_code}.")
        return None
    if code is None or title is None or behaviour is None or category_code is None:
        return None
    return Competency(code=code, title=title, behaviour=behaviour, category_code=category_code)


def child_list(node: yaml.Node, name: str) -> list[yaml.Node]:
    """The items of the list field `name` of a mapping node, or [] when there is none."""
    child = child_node(node, name)
    return list(child.value) if isinstance(child, yaml.SequenceNode) else []


def child_node(node: yaml.Node, name: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for key, value in node.value if key.value == name), None)


def report_repeated_codes(reader: FileReader, nodes: list[yaml.Node], kind: str) -> None:
    """Codes are how other files refer to things, so each must be unique."""
    seen = set()
    for code_node in filter(None, (child_node(node, "code") for node in nodes)):
        code = shown(code_node)
        if code in seen:
            reader.report(code_node, f"the {kind} code '{code}' is used twice; every code must be unique")
        seen.add(code)
