"""The OpenAPI document states the registration answers a client can get (issue 11)."""

from __future__ import annotations


def test_registration_create_documents_201_202_and_403(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    post = schema["paths"]["/api/v1/events/{slug}/registrations"]["post"]

    assert {"201", "202", "403"} <= set(post["responses"])
    body = post["responses"]["202"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"status", "detail"}
