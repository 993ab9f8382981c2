"""JSON Schema validation with ``jsonschema-rs`` (Rust: a 4 MB project validates in
milliseconds, where the pure-Python ``jsonschema`` takes seconds), its errors worded
as ``jsonschema`` words them, so messages stay what users and tests know.

Only the first error is reported, as a :class:`SchemaProblem`: where it is, which
keyword failed and the message. ``tests/core/test_schema_check.py`` checks verdicts,
places and wording against ``jsonschema`` on broken documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema_rs

#: jsonschema-rs's error kinds by the keyword they report.
_KEYWORDS = {
    "AdditionalProperties": "additionalProperties",
    "Constant": "const",
    "Enum": "enum",
    "MaxItems": "maxItems",
    "MaxLength": "maxLength",
    "Maximum": "maximum",
    "MinItems": "minItems",
    "MinLength": "minLength",
    "Minimum": "minimum",
    "OneOfMultipleValid": "oneOf",
    "OneOfNotValid": "oneOf",
    "Pattern": "pattern",
    "Required": "required",
    "Type": "type",
}


@dataclass(frozen=True)
class SchemaProblem:
    """The first way a document breaks its schema."""

    path: tuple[str | int, ...]  # into the document: ("links", 0, "state")
    keyword: str  # the schema keyword that failed ("type", "maxItems", ...)
    message: str  # jsonschema's wording
    limit: Any = None  # the keyword's value, for maxItems/maxLength/minimum/...
    instance: Any = None  # the offending value


class SchemaChecker:
    """A schema and its jsonschema-rs validator (the draft comes from ``$schema``)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema_rs

        self.schema = schema
        self.validator: jsonschema_rs.Validator = jsonschema_rs.validator_for(schema)

    @classmethod
    def shipped(cls, package: str, resource: str) -> SchemaChecker:
        """The checker of a schema shipped in ``package``."""
        return cls(json.loads(resources.files(package).joinpath(resource).read_text("utf-8")))

    def first_problem(self, document: Any) -> SchemaProblem | None:
        """The first error in ``document`` (None when it is valid)."""
        return first_problem(self, document)

    def keyword_value(self, schema_path: list[str | int]) -> Any:
        """The schema's value at ``schema_path`` (jsonschema-rs gives the path through
        ``$ref``s as seen from the root: ``$defs/article/properties/title/type``)."""
        node: Any = self.schema
        for step in schema_path:
            node = node[step]
        return node


#: jsonschema-rs gives up on errors in values nested about 255 deep; no schema of ours
#: allows a tenth of that, so a value cut this deep is still just as invalid.
CUT_DEPTH = 64


def first_problem(checker: SchemaChecker, document: Any) -> SchemaProblem | None:
    """The first error ``checker`` finds in ``document`` (None when it is valid)."""
    validator = checker.validator
    if validator.is_valid(document):
        return None
    try:
        error = _first_error(validator, document)
    except ValueError:  # "Recursion limit reached" while reporting the error
        error = _first_error(validator, _cut(document, CUT_DEPTH))
    if error is None:
        return None
    name = type(error.kind).__name__
    keyword = _KEYWORDS.get(name, name)
    schema_path = list(error.schema_path)
    value = checker.keyword_value(schema_path) if schema_path[-1:] == [keyword] else None
    return SchemaProblem(
        path=tuple(error.instance_path),
        keyword=keyword,
        message=_message(checker, keyword, value, error, schema_path),
        limit=value,
        instance=error.instance,
    )


def _first_error(validator: jsonschema_rs.Validator, document: Any) -> Any:
    """validate() stops at the first error; iter_errors() would find all (a million)."""
    import jsonschema_rs

    try:
        validator.validate(document)
    except jsonschema_rs.ValidationError as error:
        return error
    return None


def _message(
    checker: SchemaChecker, keyword: str, value: Any, error: Any, schema_path: list[str | int]
) -> str:
    """jsonschema 4's message for the keywords our schemas use (its ``_keywords.py``)."""
    instance = error.instance
    if value is None:
        return str(error.message)
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        return f"{instance!r} is not of type {', '.join(repr(t) for t in types)}"
    if keyword == "required":
        return f"{error.kind.property!r} is a required property"
    if keyword == "additionalProperties":
        known = checker.keyword_value([*schema_path[:-1], "properties"])
        extras = sorted((k for k in instance if k not in known), key=str)
        verb = "was" if len(extras) == 1 else "were"
        listed = ", ".join(repr(extra) for extra in extras)
        return f"Additional properties are not allowed ({listed} {verb} unexpected)"
    if keyword == "const":
        return f"{value!r} was expected"
    if keyword == "enum":
        return f"{instance!r} is not one of {value!r}"
    if keyword == "minimum":
        return f"{instance!r} is less than the minimum of {value!r}"
    if keyword == "maximum":
        return f"{instance!r} is greater than the maximum of {value!r}"
    if keyword in ("minItems", "minLength"):
        return f"{instance!r} {'should be non-empty' if value == 1 else 'is too short'}"
    if keyword in ("maxItems", "maxLength"):
        return f"{instance!r} {'is expected to be empty' if value == 0 else 'is too long'}"
    if keyword == "pattern":
        return f"{instance!r} does not match {value!r}"
    if keyword == "oneOf" and type(error.kind).__name__ == "OneOfNotValid":
        return f"{instance!r} is not valid under any of the given schemas"
    return str(error.message)


def _cut(value: Any, depth: int) -> Any:
    """``value`` with whatever lies ``depth`` levels down replaced by ``None``."""
    if depth <= 0:
        return None
    if isinstance(value, dict):
        return {k: _cut(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut(v, depth - 1) for v in value]
    return value
