"""The app behind its IAP check: health is open, everything else needs a valid assertion."""

import pytest
from fastapi.testclient import TestClient

from app.iap import HEADER, IapVerifier
from app.main import DataSet, create_app
from tests.iap_testing import AUDIENCE, LocalIap


@pytest.fixture()
def iap():
    return LocalIap()


@pytest.fixture()
def client(iap):
    data_sets = {"sales": DataSet("sales", "Sales", [{"q": 1}], frozenset({"ada@example.com"}))}
    return TestClient(create_app(IapVerifier(AUDIENCE, iap.key_set()), data_sets))


def test_health_needs_no_assertion(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_request_without_assertion_gets_401_with_a_one_line_reason(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.text == "Unauthorized: missing x-goog-iap-jwt-assertion header (the request did not come through IAP)\n"


def test_an_expired_assertion_gets_401(client, iap):
    response = client.get("/api/me", headers={HEADER: iap.token(exp=1, iat=0)})
    assert response.status_code == 401
    assert response.text == "Unauthorized: IAP assertion has expired\n"


def test_unsigned_identity_headers_are_ignored(client):
    response = client.get("/api/datasets", headers={"x-goog-authenticated-user-email": "accounts.google.com:ada@example.com"})
    assert response.status_code == 401


def test_readers_see_their_data_sets_and_nobody_else_does(client, iap):
    ada = {HEADER: iap.token(email="ada@example.com")}
    bob = {HEADER: iap.token(email="bob@example.com")}
    assert client.get("/api/datasets", headers=ada).json() == [{"id": "sales", "title": "Sales"}]
    assert client.get("/api/datasets/sales", headers=ada).json()["rows"] == [{"q": 1}]
    assert client.get("/api/datasets", headers=bob).json() == []
    assert client.get("/api/datasets/sales", headers=bob).status_code == 404
