"""The app behind its IAP check: health is open, everything else needs a valid assertion."""

import pytest

from app.iap import HEADER, IapVerifier
from app.main import create_app
from tests.iap_testing import AUDIENCE, LocalIap


@pytest.fixture()
def iap():
    return LocalIap()


@pytest.fixture()
def client(iap):
    app = create_app(IapVerifier(AUDIENCE, iap.key_set()), approvers={"lead@example.com"})
    return app.test_client()


def as_user(iap, email):
    return {HEADER: iap.token(email=email)}


def test_health_needs_no_assertion(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_a_request_without_assertion_gets_401_with_a_one_line_reason(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.get_data(as_text=True) == (
        "Unauthorized: missing x-goog-iap-jwt-assertion header (the request did not come through IAP)\n"
    )


def test_unsigned_identity_headers_are_ignored(client):
    response = client.get("/api/me", headers={"x-goog-authenticated-user-email": "accounts.google.com:lead@example.com"})
    assert response.status_code == 401


def test_the_user_comes_from_the_verified_token(client, iap):
    response = client.get("/api/me", headers=as_user(iap, "ada@example.com"))
    assert response.status_code == 200
    assert response.get_json() == {"email": "ada@example.com", "id": "accounts.google.com:1234567890", "approver": False}


def test_staff_file_requests_and_an_approver_decides_them(client, iap):
    filed = client.post("/api/requests", json={"resource": "finance-share", "reason": "quarter close"},
                        headers=as_user(iap, "ada@example.com"))
    assert filed.status_code == 201
    request_id = filed.get_json()["id"]
    assert client.post(f"/api/requests/{request_id}/approve", headers=as_user(iap, "ada@example.com")).status_code == 403
    pending = client.get("/api/requests", headers=as_user(iap, "lead@example.com")).get_json()
    assert [r["id"] for r in pending] == [request_id]
    decided = client.post(f"/api/requests/{request_id}/approve", headers=as_user(iap, "lead@example.com"))
    assert decided.get_json()["status"] == "approved"
    assert decided.get_json()["decided_by"] == "lead@example.com"


def test_a_request_needs_a_resource_and_a_reason(client, iap):
    response = client.post("/api/requests", json={"resource": ""}, headers=as_user(iap, "ada@example.com"))
    assert response.status_code == 400
