"""The OpenAPI document: valid OpenAPI 3.1, public, and covering every /api/v1 rule and method."""

import re

from openapi_spec_validator import validate


def test_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_rule_and_method_is_documented(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")]
    assert rules
    for rule in rules:
        path = re.sub(r"<(?:[^<>]*:)?(\w+)>", r"{\1}", rule.rule)
        assert path in paths, path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], (method, path)


def test_components_come_from_the_marshmallow_schemas(client):
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    assert {"Error", "Instance", "InstanceDocument", "Task", "TaskDocument", "Attachment"} <= set(schemas)
    assert schemas["Instance"]["properties"]["completed_at"]["type"] == ["string", "null"]
    actions = document["paths"]["/api/v1/instances/{instance_id}/actions/{action}"]["post"]
    assert actions["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InstanceDocument"
    }
