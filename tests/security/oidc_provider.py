"""A tiny OpenID Connect provider for tests, served over real HTTP on loopback:
discovery, an authorization endpoint that logs in a preset user at once, a token
endpoint (client secret + PKCE checked) that signs an id_token with a local RSA key,
and the JWKS. Just enough of the protocol to exercise callsight/oidc.py end to end."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, HTTPException
from fastapi.responses import RedirectResponse


@dataclass
class Provider:
    port: int
    client_id: str = "callsight"
    client_secret: str = "s3cret"
    user: str = "qa"  # the preferred_username of whoever logs in next
    tamper: str = ""  # "" | "nonce" | "audience" | "key": make the next id_token wrong that way
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.app = self._app()
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test OIDC provider did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"], "id_token_signing_alg_values_supported": ["RS256"]}

        @app.get("/authorize")
        def authorize(response_type: str, client_id: str, redirect_uri: str, state: str, nonce: str,
                      code_challenge: str, code_challenge_method: str, scope: str = "") -> RedirectResponse:
            if response_type != "code" or client_id != self.client_id or code_challenge_method != "S256":
                raise HTTPException(400, "bad authorization request")
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": nonce, "challenge": code_challenge, "redirect_uri": redirect_uri,
                                "user": self.user}
            return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=302)

        @app.post("/token")
        def token(grant_type: str = Form(), code: str = Form(), redirect_uri: str = Form(),
                  client_id: str = Form(), client_secret: str = Form(), code_verifier: str = Form()) -> dict[str, Any]:
            grant = self.codes.pop(code, None)  # a code works once
            challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).decode().rstrip("=")
            if (grant is None or grant_type != "authorization_code" or client_id != self.client_id
                    or client_secret != self.client_secret or redirect_uri != grant["redirect_uri"]
                    or challenge != grant["challenge"]):
                raise HTTPException(400, "invalid_grant")
            now = int(time.time())
            claims = {"iss": self.issuer, "sub": f"u-{grant['user']}", "aud": self.client_id, "iat": now,
                      "exp": now + 300, "nonce": grant["nonce"], "preferred_username": grant["user"]}
            key = self.key
            if self.tamper == "nonce":
                claims["nonce"] = "replayed"
            elif self.tamper == "audience":
                claims["aud"] = "another-client"
            elif self.tamper == "key":
                key = self.other_key
            id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
            return {"access_token": "at", "token_type": "Bearer", "id_token": id_token, "expires_in": 300}

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}

        return app
