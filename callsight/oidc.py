"""OpenID Connect single sign-on for the console (issue 15): the authorization-code
flow with PKCE, against the provider named by ``settings.oidc_issuer``.

Its endpoints come from discovery (``<issuer>/.well-known/openid-configuration``);
the id_token's signature is checked against the provider's JWKS, and its issuer,
audience (our client id), expiry and nonce. The claim ``oidc_user_claim`` names an
existing callsight user (users are created by an admin, never on the fly: a role
and data scope cannot come from a bank's directory by accident).

HTTP goes through urllib (no extra client library); every call has a timeout.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TypeVar

import jwt
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.auth import Principal, principal_of
from callsight.config import settings
from callsight.db.models import User
from callsight.errors import NotFound, Unauthorized
from core.jsonio import JsonObject

M = TypeVar("M", bound=BaseModel)
TIMEOUT_S = 10.0
_DISCOVERY_TTL_S = 3600.0
_cache: dict[str, tuple[float, Discovery]] = {}


class Discovery(BaseModel):
    """The provider's discovery document: the fields we use (others are ignored)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


class TokenResponse(BaseModel):
    id_token: str


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """What the browser carries (in a short-lived cookie) from the redirect to the callback."""

    url: str
    state: str
    nonce: str
    verifier: str


def enabled() -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_redirect_uri)


def _get_json(url: str) -> JsonObject:
    if not url.startswith(("https://", "http://")):
        raise Unauthorized(f"OIDC: not an http(s) URL: {url!r}", code="oidc_error")
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp:
        data = json.loads(resp.read())
    if not isinstance(data, dict):
        raise Unauthorized(f"OIDC: {url} did not answer a JSON object", code="oidc_error")
    return data


def _parse(cls: type[M], data: object, what: str) -> M:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise Unauthorized(f"OIDC: {what} lacks {exc.errors()[0]['loc']}", code="oidc_error") from exc


def discovery() -> Discovery:
    issuer = settings.oidc_issuer.rstrip("/")
    hit = _cache.get(issuer)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    meta = _parse(Discovery, _get_json(f"{issuer}/.well-known/openid-configuration"), "the discovery document")
    if meta.issuer.rstrip("/") != issuer:
        raise Unauthorized("OIDC: the discovery document names another issuer", code="oidc_error")
    _cache[issuer] = (time.monotonic() + _DISCOVERY_TTL_S, meta)
    return meta


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def start() -> AuthRequest:
    if not enabled():
        raise NotFound("single sign-on is not configured")
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    params = {
        "response_type": "code", "client_id": settings.oidc_client_id, "redirect_uri": settings.oidc_redirect_uri,
        "scope": settings.oidc_scopes, "state": state, "nonce": nonce,
        "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()), "code_challenge_method": "S256",
    }
    endpoint = discovery().authorization_endpoint
    sep = "&" if "?" in endpoint else "?"
    return AuthRequest(endpoint + sep + urllib.parse.urlencode(params), state, nonce, verifier)


def _exchange(code: str, verifier: str) -> TokenResponse:
    body = urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": code, "redirect_uri": settings.oidc_redirect_uri,
        "client_id": settings.oidc_client_id, "client_secret": settings.oidc_client_secret,
        "code_verifier": verifier,
    }).encode()
    url = discovery().token_endpoint
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded",
                                          "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            data = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raise Unauthorized(f"OIDC: the provider refused the code ({exc.code})", code="oidc_error") from exc
    try:
        return TokenResponse.model_validate(data)
    except ValidationError as exc:
        raise Unauthorized("OIDC: the token response has no id_token", code="oidc_error") from exc


def _claims(id_token: str, nonce: str) -> JsonObject:
    meta = discovery()
    jwks = jwt.PyJWKSet.from_dict(_get_json(meta.jwks_uri))
    kid = jwt.get_unverified_header(id_token).get("kid")
    keys = [k for k in jwks.keys if kid is None or k.key_id == kid]
    if not keys:
        raise Unauthorized("OIDC: the id_token's signing key is not in the provider's JWKS", code="oidc_error")
    try:
        claims: JsonObject = jwt.decode(
            id_token, keys[0].key, algorithms=["RS256", "ES256", "PS256"], audience=settings.oidc_client_id,
            issuer=meta.issuer, options={"require": ["exp", "iat", "iss", "aud", "sub"]}, leeway=30)
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"OIDC: the id_token is not valid ({exc})", code="oidc_error") from exc
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Unauthorized("OIDC: the id_token's nonce does not match this login", code="oidc_error")
    return claims


def finish(session: Session, code: str, nonce: str, verifier: str) -> Principal:
    """Exchange the code, verify the id_token and map its claim to an active user."""
    claims = _claims(_exchange(code, verifier).id_token, nonce)
    name = claims.get(settings.oidc_user_claim)
    if not isinstance(name, str) or not name:
        raise Unauthorized(f"OIDC: the id_token has no '{settings.oidc_user_claim}' claim", code="oidc_error")
    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.active:
        raise Unauthorized(f"OIDC: no active callsight user named '{name}'", code="oidc_unknown_user")
    return principal_of(user)
