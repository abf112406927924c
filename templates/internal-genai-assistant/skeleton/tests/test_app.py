"""The assistant behind its IAP check, with Vertex AI's HTTP answers played locally."""

import pytest
from fastapi.testclient import TestClient

from app.iap import HEADER, IapVerifier
from app.main import SYSTEM_PROMPT, create_app
from app.vertex import VertexClient
from tests.iap_testing import AUDIENCE, LocalIap


class RecordingSession:
    """Stands where google-auth's AuthorizedSession goes, answering like Vertex AI."""

    def __init__(self, status=200, payload=None):
        self.calls = []
        self.status = status
        self.payload = payload if payload is not None else {
            "candidates": [{"content": {"role": "model", "parts": [{"text": "Thank you for calling."}]}}]
        }

    def post(self, url, json, timeout):
        self.calls.append({"url": url, "json": json, "timeout": timeout})
        session = self

        class Response:
            status_code = session.status

            def json(self):
                return session.payload

        return Response()


@pytest.fixture()
def iap():
    return LocalIap()


def make_client(iap, session):
    vertex = VertexClient("acme-internal-apps", "europe-west2", "gemini-2.5-flash", session=session)
    return TestClient(create_app(IapVerifier(AUDIENCE, iap.key_set()), vertex))


def test_health_needs_no_assertion(iap):
    assert make_client(iap, RecordingSession()).get("/healthz").json() == {"status": "ok"}


def test_a_request_without_assertion_gets_401_and_never_reaches_vertex(iap):
    session = RecordingSession()
    response = make_client(iap, session).post("/api/assist", json={"question": "Where is my parcel?"})
    assert response.status_code == 401
    assert response.text.startswith("Unauthorized: missing x-goog-iap-jwt-assertion header")
    assert session.calls == []


def test_an_agent_gets_a_drafted_answer_from_vertex(iap):
    session = RecordingSession()
    response = make_client(iap, session).post(
        "/api/assist", json={"question": "Where is my parcel?"}, headers={HEADER: iap.token()}
    )
    assert response.status_code == 200
    assert response.json() == {"answer": "Thank you for calling.", "model": "gemini-2.5-flash"}
    [call] = session.calls
    assert call["url"] == (
        "https://europe-west2-aiplatform.googleapis.com/v1/projects/acme-internal-apps/locations/europe-west2"
        "/publishers/google/models/gemini-2.5-flash:generateContent"
    )
    assert call["json"]["contents"] == [{"role": "user", "parts": [{"text": "Where is my parcel?"}]}]
    assert call["json"]["systemInstruction"] == {"parts": [{"text": SYSTEM_PROMPT}]}


def test_a_vertex_failure_is_a_502_with_a_safe_message(iap):
    response = make_client(iap, RecordingSession(status=429)).post(
        "/api/assist", json={"question": "Hello"}, headers={HEADER: iap.token()}
    )
    assert response.status_code == 502
    assert response.json() == {"detail": "Vertex AI answered 429"}


def test_an_empty_question_is_refused(iap):
    response = make_client(iap, RecordingSession()).post(
        "/api/assist", json={"question": "  "}, headers={HEADER: iap.token()}
    )
    assert response.status_code == 400
