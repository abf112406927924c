"""The FastAPI app: a call-centre assistant that drafts answers with Vertex AI, behind IAP."""

from __future__ import annotations

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from app.iap import HEADER, IapUser, IapVerificationError, IapVerifier
from app.logs import log
from app.vertex import VertexClient, VertexError

HEALTH_PATH = "/healthz"
SYSTEM_PROMPT = (
    "You help call-centre agents. Given the customer's words, draft a short, polite answer and "
    "list the next steps. Never invent account data; say what the agent must check."
)
MAX_QUESTION_CHARS = 4000


class AssistRequest(BaseModel):
    question: str


def create_app(verifier: IapVerifier | None = None, vertex: VertexClient | None = None) -> FastAPI:
    verifier = verifier or IapVerifier.from_env()
    vertex = vertex or VertexClient.from_env()
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

    @app.post("/api/assist")
    def assist(body: AssistRequest, user: IapUser = Depends(current_user)):
        question = body.question.strip()
        if not question:
            raise HTTPException(status_code=400, detail="question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise HTTPException(status_code=400, detail=f"question is longer than {MAX_QUESTION_CHARS} characters")
        try:
            answer = vertex.generate(SYSTEM_PROMPT, question)
        except VertexError as error:
            log("ERROR", "vertex failed", reason=str(error), agent=user.email)
            raise HTTPException(status_code=502, detail=str(error)) from None
        # The question may hold customer data: log its size, not its text.
        log("INFO", "answer drafted", agent=user.email, question_chars=len(question), model=vertex.model)
        return {"answer": answer, "model": vertex.model}

    return app
