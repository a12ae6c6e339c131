"""The one place where a request's work is committed.

Views and services only add and flush; the commit happens here, after the view returned a
response that is not a server error. Any exception rolls the whole request back, so an
audit event never outlives the change it describes, nor the other way round.
"""
from flask import Flask, Response

from app import outage
from app.extensions import db


def init_app(app: Flask) -> None:
    @app.after_request
    def commit_request(response: Response) -> Response:
        if response.status_code >= 500:
            try:
                db.session.rollback()
            except Exception:  # noqa: BLE001 - a dropped connection: the pool replaces it
                db.session.close()
        else:
            used_database = db.session().in_transaction()
            db.session.commit()
            if used_database:
                outage.reached()
        return response

    @app.teardown_request
    def rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
