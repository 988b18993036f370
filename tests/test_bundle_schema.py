"""The published JSON Schema agrees with what the app writes and reads."""

from __future__ import annotations

import copy
import json

import pytest

from alignwork.workshops import bundle
from alignwork.paths import resource

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resource("bundle.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_demo_and_exports_match_the_schema(validator, session):
    from tests.test_bundle import rich_bundle

    demo = bundle.load_bundle_file(bundle.demo_bundle_path())
    validator.validate(demo)
    for data in (demo, rich_bundle()):
        result = bundle.import_bundle(session=session, data=data, rename_if_taken=True)
        validator.validate(bundle.export_bundle(session=session, workshop_id=result.workshop_id))


@pytest.mark.parametrize("path,value", [
    (("version",), 2),
    (("workshop", "name"), ""),
    (("participants", 0, "profile"), "superstar"),
    (("interviews", 0, "status"), "finished"),
    (("interviews", 0, "answers", "readiness", "budget"), "yes"),
    (("interviews", 0, "answers", "lead_quality_rating"), 6),
    (("interviews", 0, "answers", "volume_vs_quality"), "both"),
    (("interviews", 0, "notes", 0, "kind"), "rant"),
])
def test_schema_refuses_what_the_app_refuses(validator, path, value):
    data = copy.deepcopy(bundle.load_bundle_file(bundle.demo_bundle_path()))
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert list(validator.iter_errors(data))
    with pytest.raises(bundle.BundleError):
        bundle.validate_bundle(data)
