"""Hostile and fuzzed bundles (issue 14, point 8): every input is one line, never a traceback,
and changes nothing; a 20,000-rep bundle imports quickly."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignwork import store
from alignwork.workshops.bundle import (BundleError, demo_bundle_path, import_bundle, load_bundle_file,
                                        parse_bundle_text, validate_bundle)

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text
    return text


def test_an_integer_of_5000_digits_is_one_line():
    text = '{"format": "alignwork-bundle", "version": ' + "9" * 5000 + "}"
    with pytest.raises(BundleError, match="5,000 digits") as caught:
        parse_bundle_text(text)
    one_line(caught.value)


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_deep_nesting_is_one_line(depth):
    text = '{"format": "alignwork-bundle", "version": 1, "x": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(BundleError, match="nest") as caught:
        parse_bundle_text(text)
    one_line(caught.value)


@pytest.mark.parametrize("where", ["name", "key"])
def test_a_lone_surrogate_is_one_line_naming_the_place(where):
    data = load_bundle_file(demo_bundle_path())
    if where == "name":
        data["participants"][2]["name"] = "Ana \ud800"
    else:
        data["workshop"]["\udfff"] = "x"
    text = json.dumps(data)  # ensure_ascii writes the escape \ud800, as a hostile file would
    with pytest.raises(BundleError, match="surrogate") as caught:
        parse_bundle_text(text)
    message = one_line(caught.value)
    if where == "name":
        assert "participants[2].name" in message


def test_a_20000_rep_bundle_imports_in_a_few_seconds(session):
    data = {"format": "alignwork-bundle", "version": 1, "workshop": {"name": "Huge roster"},
            "participants": [{"ref": f"p{n}", "name": f"Rep {n}", "team": "SMB" if n % 2 else "Enterprise"}
                             for n in range(20_000)],
            "interviews": [{"participant": f"p{n}", "status": "done", "answers": {"lead_quality_rating": 3},
                            "notes": [{"kind": "quote", "question": None, "text": f"note {n}"}]}
                           for n in range(0, 20_000, 4)]}
    text = json.dumps(data)
    started = time.perf_counter()
    result = import_bundle(session=session, data=parse_bundle_text(text))
    seconds = time.perf_counter() - started
    assert result.participants == 20_000 and result.interviews == 5_000
    assert seconds < 6, f"{seconds:.1f} s"
    assert len(store.list_participants(session=session, workshop_id=result.workshop_id)) == 20_000


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@FUZZ
@given(json_values)
def test_any_json_value_is_refused_or_accepted_in_one_line(value):
    try:
        validate_bundle(parse_bundle_text(json.dumps(value)))
    except BundleError as error:
        one_line(error)


DEMO = load_bundle_file(demo_bundle_path())
PLACES = ["workshop", "participants", "interviews", "guide"]


@FUZZ
@given(place=st.sampled_from(PLACES), index=st.integers(0, 11), key=st.text(max_size=12),
       value=json_values)
def test_a_demo_bundle_with_one_field_mangled_is_refused_in_one_line_or_imported(place, index, key, value):
    data = json.loads(json.dumps(DEMO))
    target = data.get(place)
    if isinstance(target, list) and target:
        target = target[index % len(target)]
    if isinstance(target, dict):
        target[key if key else "name"] = value
    else:
        data[place] = value
    try:
        validate_bundle(parse_bundle_text(json.dumps(data)))
    except BundleError as error:
        one_line(error)


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_any_bytes_as_a_bundle_file_are_one_line(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "bundle.json"
    path.write_bytes(raw)
    try:
        validate_bundle(load_bundle_file(path))
    except BundleError as error:
        one_line(error)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=30), note=st.text(max_size=60))
def test_imported_text_comes_back_exactly_or_is_refused_in_one_line(session, name, note):
    data = {"format": "alignwork-bundle", "version": 1, "workshop": {"name": f"Fuzz {name}"},
            "participants": [{"ref": "p1", "name": name}],
            "interviews": [{"participant": "p1", "notes": [{"kind": "idea", "question": None, "text": note}]}]}
    try:
        result = import_bundle(session=session, data=parse_bundle_text(json.dumps(data)), rename_if_taken=True)
    except BundleError as error:
        one_line(error)
        return
    [rep] = store.list_participants(session=session, workshop_id=result.workshop_id)
    assert rep.name == name.strip() or rep.name == name


FIXTURES = __import__("pathlib").Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("hostile-*.json")), ids=lambda path: path.name)
def test_hostile_bundle_fixtures_are_refused_in_one_line(path):
    with pytest.raises(BundleError) as caught:
        validate_bundle(load_bundle_file(path))
    one_line(caught.value)
