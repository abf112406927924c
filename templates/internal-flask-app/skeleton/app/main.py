"""The Flask app: access requests that staff file and approvers decide, behind IAP."""

from __future__ import annotations

import itertools
import os
import threading
import time
from dataclasses import asdict, dataclass, field

from flask import Flask, Response, g, jsonify, request

from app.iap import HEADER, IapVerificationError, IapVerifier
from app.logs import log

HEALTH_PATH = "/healthz"


@dataclass
class AccessRequest:
    id: int
    resource: str
    reason: str
    requester: str
    status: str = "pending"
    decided_by: str | None = None
    created_at: float = field(default_factory=time.time)


class AccessRequests:
    """In memory for the skeleton; replace with your database (Cloud SQL, Firestore)."""

    def __init__(self) -> None:
        self._items: dict[int, AccessRequest] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def file(self, resource: str, reason: str, requester: str) -> AccessRequest:
        with self._lock:
            item = AccessRequest(next(self._ids), resource, reason, requester)
            self._items[item.id] = item
            return item

    def get(self, request_id: int) -> AccessRequest | None:
        return self._items.get(request_id)

    def mine(self, email: str) -> list[AccessRequest]:
        return [r for r in self._items.values() if r.requester == email]

    def pending(self) -> list[AccessRequest]:
        return [r for r in self._items.values() if r.status == "pending"]


def create_app(verifier: IapVerifier | None = None, approvers: set[str] | None = None) -> Flask:
    app = Flask(__name__)
    verifier = verifier or IapVerifier.from_env()
    if approvers is None:
        approvers = {a.strip() for a in os.environ.get("APPROVERS", "").split(",") if a.strip()}
    store = AccessRequests()

    @app.before_request
    def require_iap():
        if request.path == HEALTH_PATH:
            return None
        try:
            g.user = verifier.verify(request.headers.get(HEADER))
        except IapVerificationError as error:
            log("WARNING", "request refused", reason=str(error), path=request.path)
            return Response(f"Unauthorized: {error}\n", status=401, mimetype="text/plain")
        return None

    @app.after_request
    def access_log(response):
        user = getattr(g, "user", None)
        log("INFO", "request", method=request.method, path=request.path, status=response.status_code,
            user=user.email if user else None)
        return response

    @app.get(HEALTH_PATH)
    def health():
        return jsonify(status="ok")

    @app.get("/api/me")
    def me():
        return jsonify(email=g.user.email, id=g.user.user_id, approver=g.user.email in approvers)

    @app.post("/api/requests")
    def file_request():
        body = request.get_json(silent=True) or {}
        resource = str(body.get("resource", "")).strip()
        reason = str(body.get("reason", "")).strip()
        if not resource or not reason:
            return jsonify(error="resource and reason are required"), 400
        item = store.file(resource, reason, g.user.email)
        log("INFO", "access requested", request_id=item.id, resource=resource, requester=g.user.email)
        return jsonify(asdict(item)), 201

    @app.get("/api/requests")
    def list_requests():
        items = store.pending() if g.user.email in approvers else store.mine(g.user.email)
        return jsonify([asdict(i) for i in items])

    @app.post("/api/requests/<int:request_id>/<decision>")
    def decide(request_id: int, decision: str):
        if decision not in ("approve", "deny"):
            return jsonify(error="decision must be approve or deny"), 404
        item = store.get(request_id)
        if item is None:
            return jsonify(error="no such request"), 404
        if g.user.email not in approvers:
            return jsonify(error="only approvers decide requests"), 403
        if item.requester == g.user.email:
            return jsonify(error="you cannot decide your own request"), 403
        item.status = "approved" if decision == "approve" else "denied"
        item.decided_by = g.user.email
        log("INFO", "access decided", request_id=item.id, status=item.status, approver=g.user.email)
        return jsonify(asdict(item))

    @app.get("/")
    def home():
        return Response(
            f"<!doctype html><title>${{ values.name }}</title><h1>${{ values.name }}</h1>"
            f"<p>Signed in through Identity-Aware Proxy as <strong>{_escape(g.user.email)}</strong>.</p>"
            "<p>File an access request with <code>POST /api/requests</code>.</p>",
            mimetype="text/html",
        )

    return app


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
