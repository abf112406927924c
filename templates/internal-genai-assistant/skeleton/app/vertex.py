"""Vertex AI (Gemini) over REST, as the runtime service account.

Credentials come from Application Default Credentials: on Cloud Run, the metadata server of the
service's own runtime service account. There is no key in the code, the image or the config;
grant that account `roles/aiplatform.user` on the project.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

SCOPE = "https://www.googleapis.com/auth/cloud-platform"


class HttpSession(Protocol):
    def post(self, url: str, json: Any, timeout: float) -> Any: ...


class VertexError(Exception):
    """Vertex AI did not answer usefully; str() is safe to show to a user."""


class VertexClient:
    def __init__(self, project: str, location: str, model: str, session: HttpSession | None = None) -> None:
        self.project = project
        self.location = location
        self.model = model
        self._session = session

    @classmethod
    def from_env(cls, env=os.environ) -> "VertexClient":
        return cls(
            project=env.get("VERTEX_PROJECT", env.get("GOOGLE_CLOUD_PROJECT", "${{ values.projectId }}")),
            location=env.get("VERTEX_LOCATION", "${{ values.region }}"),
            model=env.get("VERTEX_MODEL", "gemini-2.5-flash"),
        )

    def _authorized_session(self) -> HttpSession:
        if self._session is None:
            # Imported here so tests need no google-auth; ADC finds the runtime service account.
            import google.auth
            from google.auth.transport.requests import AuthorizedSession

            credentials, _ = google.auth.default(scopes=[SCOPE])
            self._session = AuthorizedSession(credentials)
        return self._session

    @property
    def endpoint(self) -> str:
        return (
            f"https://{self.location}-aiplatform.googleapis.com/v1/projects/{self.project}"
            f"/locations/{self.location}/publishers/google/models/{self.model}:generateContent"
        )

    def generate(self, system: str, prompt: str) -> str:
        body = {
            "systemInstruction": {"parts": [{"text": system}]},
            "contents": [{"role": "user", "parts": [{"text": prompt}]}],
            "generationConfig": {"temperature": 0.2, "maxOutputTokens": 1024},
        }
        response = self._authorized_session().post(self.endpoint, json=body, timeout=60)
        if response.status_code != 200:
            raise VertexError(f"Vertex AI answered {response.status_code}")
        candidates = response.json().get("candidates") or []
        parts = (candidates[0].get("content") or {}).get("parts") if candidates else None
        text = "".join(p.get("text", "") for p in parts or [])
        if not text:
            raise VertexError("Vertex AI returned no text")
        return text
