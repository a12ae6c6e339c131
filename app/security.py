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
        if response.mimetype == "text/html" or _personal_data(response):
            # Pages, exports and the API show what this person may see: never keep them
            # in a shared cache (or a browser's, on a shared kommune PC).
            response.headers.set("Cache-Control", "no-store")
        if app.config["HSTS_SECONDS"]:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains")
        return response


#: response types that carry personal data besides HTML pages
_EXPORT_TYPES = {"text/csv", "application/json",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _personal_data(response: Response) -> bool:
    """An export (CSV, Excel, PDF or any attachment) or an API answer."""
    from flask import request

    return (response.mimetype in _EXPORT_TYPES or response.mimetype == "application/pdf"
            or "attachment" in response.headers.get("Content-Disposition", "")
            or request.path.startswith("/api/"))
