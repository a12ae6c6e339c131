"""Response headers that hold on every page: a strict Content-Security-Policy and friends."""
from flask import Flask, Response

from app.frontend import CDN


def content_security_policy(use_cdn: bool) -> str:
    cdn = f" {CDN.rsplit('/', 1)[0]}" if use_cdn else ""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self'{cdn}",
        f"style-src 'self'{cdn}",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        use_cdn = app.extensions["faseport_assets"]["use_cdn"]
        response.headers["Content-Security-Policy"] = content_security_policy(use_cdn)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.vary.add("HX-Request")
        if response.mimetype == "text/html":
            # Pages show personal work queues: never keep them in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
