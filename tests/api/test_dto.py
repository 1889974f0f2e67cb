"""One type walker: every type the OpenAPI builder accepts also parses and round-trips.

For every DTO the routes use (bodies, queries, answers, recursively) and a synthetic set of field
kinds, the plan that describes a type in /api/spec.json must also parse a valid value, give back
``parse(dump(x)) == x``, and turn an invalid, null or missing value into ValidationFailed (a 400
with Immich's body), never into another exception (a 500).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import httpx
import pytest

from immich import hookimpl
from immich.api import collect_operations
from immich.api._dto_plan import (
    DictPlan,
    ListPlan,
    NullablePlan,
    ObjectPlan,
    UnionPlan,
    plan_of,
)
from immich.api._dto_scalars import (
    BoolPlan,
    BytesPlan,
    ChoicePlan,
    DatePlan,
    DateTimePlan,
    EmailPlan,
    Errors,
    NumberPlan,
    Plan,
    StringPlan,
    UrlPlan,
    UuidPlan,
)
from immich.api._spec_schema import SchemaBuilder
from immich.api.dto import MISSING, UNSET, dump, field, iso, parse
from immich.api.errors import ValidationFailed
from immich.api.routing import Call, Inputs, Multipart, Operation, Router, declared_inputs
from immich.api.user_dtos import EMAIL_PATTERN, LICENSE_KEY_PATTERN, PIN_CODE_PATTERN
from immich.app import create_app
from immich.plugins import make_manager
from tests.conftest import EXAMPLE_PLUGIN, make_settings


class Color(enum.StrEnum):
    red = "red"
    blue = "blue"


class Level(enum.IntEnum):
    low = 1
    high = 2


@attrs.frozen
class Inner:
    name: str = field(min_length=1)
    when: dt.datetime | None = field(default=UNSET)


@attrs.frozen
class Synthetic:
    """Every field kind a DTO may use."""

    number_or_text: int | str = field()
    day: dt.date = field()
    moment: dt.datetime = field()
    color: Color = field()
    level: Level = field()
    letter: Literal["a", "b"] = field()
    size: Literal[480, 720] = field()
    inner: Inner = field()
    inners: list[Inner] = field(min_items=1)
    by_name: dict[str, Inner] = field()
    free: dict[str, Any] = field()
    maybe_inner: Inner | None = field()
    ids: list[uuid.UUID] = field()
    id: uuid.UUID = field()
    id_text: str = field(format="uuid")
    ids_text: list[str | None] = field(format="uuid")
    email: str = field(format="email")
    url: str = field(format="uri")
    day_text: str = field(format="date")
    moment_text: str = field(format="date-time")
    ratio: float = field(minimum=0, maximum=1)
    count: int = field(minimum=1, maximum=9007199254740991)
    flag: bool = field()
    words: tuple[str, ...] = field()
    anything: Any = field()
    pin: str = field(pattern=PIN_CODE_PATTERN)
    children: list[Synthetic] = field(factory=list)
    note: str = field(default=UNSET)
    nullable_note: str | None = field(default=UNSET)
    color_or_none: Color | None = field(default=None)


SYNTHETIC_TYPES: list[Any] = [
    Synthetic,
    int | str,
    dt.date,
    dt.datetime,
    Color,
    Level,
    list[Inner],
    dict[str, Inner],
    Inner | None,
    list[int] | None,
    str,
    float,
    bool,
    uuid.UUID,
]
SAMPLE_STRINGS = {
    PIN_CODE_PATTERN: "123456",
    LICENSE_KEY_PATTERN: "IMSV-" + "-".join(["ABCD"] * 8),
    EMAIL_PATTERN: "someone@example.com",
    r"^(?:[01]\d|2[0-3]):[0-5]\d$": "02:30",  # nightly tasks' start time
    r"^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$": "#a1b2c3",  # hex colour
}
MOMENT = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC)


def route_types() -> list[Any]:
    ops = collect_operations(make_manager(skip=[EXAMPLE_PLUGIN]))
    return [t for op in ops for t in (op.body, op.query, op.response) if t not in (None, dict)]


def children(plan: Plan) -> Iterator[Plan]:
    if isinstance(plan, NullablePlan):
        yield plan.inner
    elif isinstance(plan, UnionPlan):
        yield from plan.options
    elif isinstance(plan, ListPlan):
        yield plan.item
    elif isinstance(plan, DictPlan) and plan.value is not None:
        yield plan.value
    elif isinstance(plan, ObjectPlan):
        yield from (f.plan for f in plan.fields)


def every_plan() -> list[Plan]:
    seen: dict[int, Plan] = {}
    todo = [plan_of(t) for t in [*route_types(), *SYNTHETIC_TYPES]]
    while todo:
        plan = todo.pop()
        if id(plan) not in seen:
            seen[id(plan)] = plan
            todo.extend(children(plan))
    return list(seen.values())


def sample(plan: Plan, depth: int = 0) -> Any:
    """A valid value of the plan's type (Python side, as an endpoint would hold it)."""
    if isinstance(plan, NullablePlan):
        return sample(plan.inner, depth)
    if isinstance(plan, UnionPlan):
        return sample(plan.options[0], depth)
    if isinstance(plan, BoolPlan):
        return True
    if isinstance(plan, NumberPlan):
        value = plan.lo if plan.lo is not None else (plan.hi if plan.hi is not None else 3.5)
        return plan.tp(value)
    if isinstance(plan, EmailPlan):
        return "someone@example.com"
    if isinstance(plan, UuidPlan):
        found = uuid.UUID("0f3c5c5e-2b1a-4c57-9d7e-3c1f2a4b5c6d")
        return found if plan.tp is uuid.UUID else str(found)
    if isinstance(plan, UrlPlan):
        return "https://example.com/a"
    if isinstance(plan, DateTimePlan):
        return MOMENT if plan.tp is dt.datetime else "2024-05-06T07:08:09.123Z"
    if isinstance(plan, DatePlan):
        return MOMENT.date() if plan.tp is dt.date else "2024-05-06"
    if isinstance(plan, StringPlan):
        if plan.pattern is not None:
            return SAMPLE_STRINGS[plan.pattern]  # a new pattern: add a sample above
        return "x" * max(plan.min_length or 0, 3)
    if isinstance(plan, ChoicePlan):
        return plan.enum_cls(plan.values[0]) if plan.enum_cls else plan.values[0]
    if isinstance(plan, ListPlan):
        count = max(plan.min_items or 0, 0 if depth > 2 else 1)
        return plan.make([sample(plan.item, depth + 1) for _ in range(count)])
    if isinstance(plan, DictPlan):
        return {"k": sample(plan.value, depth + 1) if plan.value is not None else 1}
    if isinstance(plan, ObjectPlan):
        return plan.cls(**{f.alias: sample(f.plan, depth + 1) for f in plan.fields})
    if isinstance(plan, BytesPlan):
        return b"bytes"
    return {"any": [1, "two"]}


def wrong_value(plan: Plan) -> Any:
    """A JSON value of the wrong kind for the plan (None when every value is allowed)."""
    if isinstance(plan, NullablePlan):
        return wrong_value(plan.inner)
    if isinstance(plan, StringPlan | NumberPlan | ListPlan | DictPlan | ObjectPlan):
        return True
    if isinstance(plan, BoolPlan | ChoicePlan | UnionPlan):
        return [1]
    return None


def parse_one(plan: Plan, value: Any) -> Any:
    errors = Errors(coerce=False)
    parsed = plan.parse(value, (), errors)
    if errors:
        raise ValidationFailed(list(errors))
    return parsed


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    found = every_plan()
    assert len([p for p in found if isinstance(p, ObjectPlan)]) > 150  # the routes' DTOs
    return found


def test_every_type_has_a_schema(plans: list[Plan]) -> None:
    builder = SchemaBuilder()
    for tp in [*route_types(), *SYNTHETIC_TYPES]:
        assert isinstance(builder.schema(tp), dict)
    assert "Synthetic" in builder.components
    assert builder.components["Synthetic"]["properties"]["number_or_text"] == {
        "oneOf": [{"type": "integer"}, {"type": "string"}]
    }
    assert builder.components["Synthetic"]["properties"]["day"] == {
        "type": "string",
        "format": "date",
    }


def test_every_type_parses_and_round_trips(plans: list[Plan]) -> None:
    problems = []
    for plan in plans:
        if isinstance(plan, BytesPlan):
            continue  # a multipart file part, never JSON
        value = sample(plan)
        try:
            again = parse_one(plan, dump(value))
        except ValidationFailed as err:
            problems.append(f"{plan_name(plan)}: {err.errors}")
            continue
        if again != value:
            problems.append(f"{plan_name(plan)}: {value!r} -> {again!r}")
    assert not problems, "\n".join(problems)


def test_objects_round_trip_with_only_required_fields(plans: list[Plan]) -> None:
    """Optional fields left at their defaults (UNSET: left out of the JSON) round-trip too."""
    for plan in plans:
        if isinstance(plan, ObjectPlan) and not any(
            isinstance(f.plan, BytesPlan) for f in plan.fields
        ):
            value = plan.cls(**{f.alias: sample(f.plan) for f in plan.fields if f.required})
            assert parse(plan.cls, dump(value)) == value, plan_name(plan)


def test_invalid_null_and_missing_values_fail_validation_only(plans: list[Plan]) -> None:
    for plan in plans:
        if not isinstance(plan, ObjectPlan):
            continue
        good = dump(sample(plan))
        for f in plan.fields:
            bad_values = [wrong_value(f.plan)]
            if not isinstance(f.plan, NullablePlan):
                bad_values.append(None)
            for bad in bad_values:
                if bad is None and (f.plan.__class__ is Plan or isinstance(f.plan, NullablePlan)):
                    continue
                if bad is None and isinstance(f.plan, BytesPlan):
                    continue
                with pytest.raises(ValidationFailed) as caught:
                    parse(plan.cls, {**good, f.key: bad})
                assert caught.value.errors[0]["path"][0] == f.key, (plan_name(plan), f.key)
                assert isinstance(caught.value.errors[0]["message"], str)
                assert caught.value.status == 400
            if f.required:
                with pytest.raises(ValidationFailed) as caught:
                    parse(plan.cls, {k: v for k, v in good.items() if k != f.key})
                assert caught.value.errors == [
                    {"path": [f.key], "message": f.plan.invalid(MISSING)}
                ]


def test_synthetic_parse_reads_json_into_python_types() -> None:
    data = dump(sample(plan_of(Synthetic)))
    del data["note"], data["nullable_note"]
    data["number_or_text"] = "seven"
    data["words"] = ["a", "b"]
    parsed = parse(Synthetic, data)
    assert parsed.number_or_text == "seven"
    assert parsed.day == MOMENT.date()
    assert parsed.moment == MOMENT
    assert parsed.color is Color.red and parsed.level is Level.low
    assert parsed.id == uuid.UUID("0f3c5c5e-2b1a-4c57-9d7e-3c1f2a4b5c6d")
    assert parsed.words == ("a", "b")
    assert parsed.note is UNSET and parsed.nullable_note is UNSET
    assert "note" not in dump(parsed)
    assert parse(Synthetic, {**data, "nullable_note": None}).nullable_note is None
    assert parse(Synthetic, {**data, "number_or_text": 7}).number_or_text == 7


def test_synthetic_invalid_values_name_every_problem() -> None:
    data = dump(sample(plan_of(Synthetic)))
    bad = {
        **data,
        "number_or_text": [],
        "day": "2024-02-30",
        "moment": "2024-05-06",
        "level": 3,
        "size": 1080,
        "inners": [],
        "by_name": {"k": {"name": ""}},
        "ids": ["nope"],
        "ratio": 2,
        "count": 1.5,
        "pin": "12345",
    }
    with pytest.raises(ValidationFailed) as caught:
        parse(Synthetic, bad)
    assert caught.value.errors == [
        {"path": ["number_or_text"], "message": "Invalid input"},
        {
            "path": ["day"],
            "message": "Invalid input: expected ISO date string (YYYY-MM-DD), received string",
        },
        {
            "path": ["moment"],
            "message": "Invalid input: expected ISO 8601 datetime string, received string",
        },
        {"path": ["level"], "message": "Invalid option: expected one of 1|2"},
        {"path": ["size"], "message": "Invalid option: expected one of 480|720"},
        {"path": ["inners"], "message": "Too small: expected array to have >=1 items"},
        {
            "path": ["by_name", "k", "name"],
            "message": "Too small: expected string to have >=1 characters",
        },
        {"path": ["ids", 0], "message": "Invalid UUID"},
        {"path": ["ratio"], "message": "Too big: expected number to be <=1"},
        {"path": ["count"], "message": "Invalid input: expected int, received number"},
        {"path": ["pin"], "message": "Invalid string: must match pattern /^\\d{6}$/"},
    ]


def test_query_strings_are_coerced_as_immich_reads_them() -> None:
    @attrs.frozen
    class Query:
        size: Literal[480, 720] = field(default=UNSET)
        flag: bool = field(default=UNSET)
        count: int = field(default=UNSET, minimum=1)
        ids: list[str] = field(default=UNSET, format="uuid")

    got = parse(Query, {"size": "720", "flag": "false", "count": "3"}, coerce=True)
    assert (got.size, got.flag, got.count) == (720, False, 3)
    with pytest.raises(ValidationFailed) as caught:
        parse(Query, {"flag": "yes", "count": "many", "ids": "a,b"}, coerce=True)
    assert caught.value.errors == [
        {"path": ["flag"], "message": 'Invalid option: expected one of "true"|"false"'},
        {"path": ["count"], "message": "Invalid input: expected number, received NaN"},
        {"path": ["ids", 0], "message": "Invalid UUID"},
        {"path": ["ids", 1], "message": "Invalid UUID"},
    ]


def test_dump_keeps_runtime_values_of_a_declared_type_json_ready() -> None:
    """A ``str`` field holding a database UUID, a datetime in ``Any``: still JSON."""
    value = Inner(name=uuid.UUID(int=1), when=MOMENT)  # type: ignore[arg-type]
    assert dump(value) == {
        "name": "00000000-0000-0000-0000-000000000001",
        "when": "2024-05-06T07:08:09.123Z",
    }
    assert dump({"a": [Color.blue, MOMENT.date(), (1, 2)]}) == {"a": ["blue", "2024-05-06", [1, 2]]}


def test_a_type_without_a_plan_is_refused_everywhere() -> None:
    with pytest.raises(TypeError):
        plan_of(complex)
    with pytest.raises(TypeError):
        SchemaBuilder().schema(tuple[int, str])


def plan_name(plan: Plan) -> str:
    if isinstance(plan, ObjectPlan):
        return plan.cls.__name__
    return type(plan).__name__


async def _body_only(call: Call[Inner]) -> None: ...


async def _query_only(call: Call[None, Inner]) -> None: ...


async def _form(call: Call[Multipart[Synthetic], Inner]) -> None: ...


async def _nothing(call: Call) -> None: ...


def test_routes_declare_their_input_once_in_the_call_annotation() -> None:
    assert declared_inputs(_body_only) == Inputs(body=Inner)
    assert declared_inputs(_query_only) == Inputs(query=Inner)
    assert declared_inputs(_form) == Inputs(Synthetic, Inner, "multipart/form-data")
    assert declared_inputs(_nothing) == Inputs()
    router = Router()
    router.route("POST", "/x", operation_id="x", tag="X")(_form)
    (op,) = router.operations
    assert (op.body, op.query, op.body_type) == (Synthetic, Inner, "multipart/form-data")


synthetic_router = Router()


@synthetic_router.route(
    "POST", "/synthetic/echo", operation_id="syntheticEcho", tag="X", auth=False, response=Synthetic
)
async def _synthetic_echo(call: Call[Synthetic]) -> Synthetic:
    return call.body


class _SyntheticRoutes:
    @hookimpl
    def register_routes(self) -> Sequence[Operation]:
        return synthetic_router.operations


async def test_synthetic_types_through_the_http_app(
    db_url: str, media_dir: Path, client: httpx.AsyncClient
) -> None:
    """int | str, dates, enums, nested objects...: described in the spec, echoed, refused as 400."""
    app = create_app(
        make_settings(db_url, media_dir), extra_plugins=[("synthetic", _SyntheticRoutes())]
    )
    sent = dump(sample(plan_of(Synthetic)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            r = await http.post("/api/synthetic/echo", json=sent)
            assert r.status_code == 200, r.text
            assert r.json() == sent
            r = await http.post(
                "/api/synthetic/echo", json={**sent, "number_or_text": [], "day": 20240506}
            )
            assert r.status_code == 400, r.text
            assert r.json() == {
                "message": "Validation failed",
                "errors": [
                    {"path": ["number_or_text"], "message": "Invalid input"},
                    {
                        "path": ["day"],
                        "message": "Invalid input: expected ISO date string (YYYY-MM-DD),"
                        " received number",
                    },
                ],
            }
            spec = (await http.get("/api/spec.json")).json()
            schema = spec["components"]["schemas"]["Synthetic"]["properties"]
            assert schema["day"] == {"type": "string", "format": "date"}
            assert spec["paths"]["/synthetic/echo"]["post"]["requestBody"]["content"] == {
                "application/json": {"schema": {"$ref": "#/components/schemas/Synthetic"}}
            }


@attrs.frozen
class _Hygiene:
    name: str = field(default=UNSET)
    extra: dict[str, Any] = field(default=UNSET)
    anything: Any = field(default=UNSET)
    when: dt.datetime = field(default=UNSET, format="date-time")


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"name": "a\0"}, ["name"], "Invalid string: must not contain the null character (U+0000)"),
        ({"extra": {"k": ["ok", "\0"]}}, ["extra", "k", 1], "Invalid string: must not contain"),
        ({"extra": {"\0": 1}}, ["extra", "\0"], "Invalid string: must not contain"),
        ({"anything": [{"x": "\0"}]}, ["anything", 0, "x"], "Invalid string: must not contain"),
        ({"when": "0001-01-01T00:00:00+00:01"}, ["when"], "Invalid date: expected a date between"),
    ],
)
def test_values_we_cannot_store_are_refused(data: Any, path: list[Any], message: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse(_Hygiene, data)
    (error,) = raised.value.errors
    assert error["path"] == path and error["message"].startswith(message)


def test_timestamps_keep_four_digit_years() -> None:
    assert iso(dt.datetime(297, 12, 14, 20, 59, 53, tzinfo=dt.UTC)) == "0297-12-14T20:59:53.000Z"
    assert iso(dt.datetime(1, 1, 1, tzinfo=dt.UTC)) == "0001-01-01T00:00:00.000Z"
    assert iso(dt.datetime(2024, 5, 6, 7, 8, 9, 123456)) == "2024-05-06T07:08:09.123Z"
    assert dump(dt.datetime(9, 1, 1, tzinfo=dt.UTC)) == "0009-01-01T00:00:00.000Z"
