"""The FastAPI app: data sets shared with named people and groups, behind IAP."""

from __future__ import annotations

import os
from dataclasses import dataclass

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse

from app.iap import HEADER, IapUser, IapVerificationError, IapVerifier
from app.logs import log

HEALTH_PATH = "/healthz"


@dataclass(frozen=True)
class DataSet:
    id: str
    title: str
    rows: list[dict]
    # Emails of the people allowed to read it; IAP decides who reaches the app at all.
    readers: frozenset[str]


def sample_data_sets() -> dict[str, DataSet]:
    readers = frozenset(r.strip() for r in os.environ.get("SAMPLE_READERS", "").split(",") if r.strip())
    return {
        "office-occupancy": DataSet(
            "office-occupancy",
            "Office occupancy by week",
            [{"week": "2026-W01", "office": "London", "occupancy": 0.62}],
            readers,
        )
    }


def create_app(verifier: IapVerifier | None = None, data_sets: dict[str, DataSet] | None = None) -> FastAPI:
    verifier = verifier or IapVerifier.from_env()
    data_sets = sample_data_sets() if data_sets is None else data_sets
    app = FastAPI(title="${{ values.name }}")

    @app.middleware("http")
    async def require_iap(request: Request, call_next):
        if request.url.path == HEALTH_PATH:
            return await call_next(request)
        try:
            request.state.user = verifier.verify(request.headers.get(HEADER))
        except IapVerificationError as error:
            log("WARNING", "request refused", reason=str(error), path=request.url.path)
            return PlainTextResponse(f"Unauthorized: {error}\n", status_code=401)
        response = await call_next(request)
        log("INFO", "request", method=request.method, path=request.url.path, status=response.status_code,
            user=request.state.user.email)
        return response

    def current_user(request: Request) -> IapUser:
        return request.state.user

    @app.get(HEALTH_PATH)
    def health():
        return {"status": "ok"}

    @app.get("/api/me")
    def me(user: IapUser = Depends(current_user)):
        return {"email": user.email, "id": user.user_id}

    @app.get("/api/datasets")
    def list_data_sets(user: IapUser = Depends(current_user)):
        return [{"id": d.id, "title": d.title} for d in data_sets.values() if user.email in d.readers]

    @app.get("/api/datasets/{data_set_id}")
    def read_data_set(data_set_id: str, user: IapUser = Depends(current_user)):
        data_set = data_sets.get(data_set_id)
        if data_set is None or user.email not in data_set.readers:
            # The same answer for "missing" and "not yours": no hint that it exists.
            raise HTTPException(status_code=404, detail="no such data set")
        log("INFO", "data set read", data_set=data_set.id, reader=user.email)
        return {"id": data_set.id, "title": data_set.title, "rows": data_set.rows}

    return app
