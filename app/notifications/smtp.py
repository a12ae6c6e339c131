"""The SMTP side of the outbox: a claimed mail as it travels, the mail settings, the
message as built, one connection per run, and which failures a retry cannot fix.
`app.notifications.mail.send_pending` drives it."""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from app.models.base import utcnow


@dataclass(frozen=True)
class Outgoing:
    """A claimed mail, copied out of the session so no ORM object crosses the network."""

    id: int
    attempt: int  # the number of this attempt (attempts after the claim)
    to_addr: str
    to_name: str
    subject: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    use_tls: bool
    username: str
    password: str
    sender: str
    timeout: float
    max_attempts: int
    retry_seconds: int

    @classmethod
    def from_config(cls, config) -> MailSettings:
        return cls(
            server=config["MAIL_SERVER"], port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]), username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"], sender=config["MAIL_FROM"],
            timeout=float(config["MAIL_TIMEOUT"]),
            max_attempts=max(1, int(config["MAIL_MAX_ATTEMPTS"])),
            retry_seconds=int(config["MAIL_RETRY_SECONDS"]),
        )

    @property
    def lease(self) -> timedelta:
        """How long a claimed mail is left alone by other senders: room for a slow server."""
        return timedelta(seconds=max(120.0, self.timeout * 6))


class ConnectFailed(Exception):
    """The SMTP server could not be reached or refused our login: the run stops."""

    def __init__(self, cause: BaseException):
        super().__init__(str(cause))
        self.cause = cause


def is_permanent(exc: BaseException) -> bool:
    """Failures that a retry cannot fix: every recipient refused with a 5xx code, the
    message refused with 5xx, or a mail that cannot even be built (bad address)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return True
    return isinstance(exc, (ValueError, TypeError, UnicodeError, MessageError))


def build_message(mail: Outgoing, sender: str) -> EmailMessage:
    """A UTF-8 plain-text mail with Norwegian subject and body."""
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = sender
    msg["To"] = Address(display_name=mail.to_name, addr_spec=mail.to_addr)
    msg["Date"] = format_datetime(utcnow())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "faseport.invalid"
    # The same id on every attempt, so a mail client can drop a duplicate delivery.
    msg["Message-ID"] = f"<outbox.{mail.id}.{int(mail.created_at.timestamp())}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    msg.set_content(mail.body, charset="utf-8", cte="quoted-printable")
    return msg


def deliver(connection: SMTPConnection, settings: MailSettings, mail: Outgoing) -> None:
    message = build_message(mail, settings.sender)
    envelope_from = parseaddr(settings.sender)[1] or settings.sender
    smtp = connection.get()
    try:
        smtp.send_message(message, from_addr=envelope_from, to_addrs=[mail.to_addr])
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused,
            smtplib.SMTPNotSupportedError):
        raise  # the server answered and reset the transaction: the connection is fine
    except OSError:
        connection.reset()  # disconnected or timed out: the next mail opens a new one
        raise


class SMTPConnection:
    """One SMTP session per run, opened on the first mail and reused for the rest."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            s = self.settings
            try:
                smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
            except OSError as exc:  # refused, timed out, unknown host, 4xx/5xx greeting
                raise ConnectFailed(exc) from exc
            try:
                if s.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.username:
                    smtp.login(s.username, s.password)
            except OSError as exc:
                _quietly_close(smtp)
                raise ConnectFailed(exc) from exc
            self.smtp = smtp
        return self.smtp

    def reset(self) -> None:
        if self.smtp is not None:
            _quietly_close(self.smtp)
            self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except OSError:
                pass
            _quietly_close(self.smtp)
            self.smtp = None


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.close()
    except OSError:
        pass
