"""Is the directory there? Each server in LDAP_URL on its own, for /healthz. Part of
`Directory`."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from app.directory.connection import close_quietly, describe_result


class HealthChecks:
    """Mixed into `Directory` (uses its settings, connector and log)."""

    def ping(self) -> bool:
        """Whether the directory answers right now (some server does). Never raises."""
        return any(self.server_status().values())

    def server_status(self) -> dict[str, bool]:
        """Each server in LDAP_URL -> whether it answers right now (for /healthz).

        Every server is tried on its own connection, all at once, so one that hangs does
        not hide the others; with a service account it must also accept that bind. Never
        binds anonymously, never raises, bounded by LDAP_TIMEOUT.
        """
        if self.settings.is_demo:
            return {"demo": self._answers(lambda: self._connector.open(None, None))}
        servers = self.settings.servers
        with ThreadPoolExecutor(max_workers=len(servers)) as pool:
            results = pool.map(
                lambda index: self._answers(lambda: self._connector.open_server(index)),
                range(len(servers)),
            )
            return {server.label: ok for server, ok in zip(servers, results)}

    def _answers(self, open_connection) -> bool:
        try:
            connection = open_connection()
        except Exception as error:  # noqa: BLE001 - a health check reports, it does not fail
            self.log.warning("directory: ping failed: %s", error)
            return False
        try:
            if self.settings.has_service_account:
                connection.user = self.settings.bind_dn
                connection.password = self.settings.bind_password
                if not connection.bind():
                    self.log.warning(
                        "directory: ping: service account bind refused: %s",
                        describe_result(connection.result),
                    )
                    return False
            return True
        except Exception as error:  # noqa: BLE001
            self.log.warning("directory: ping failed: %s", error)
            return False
        finally:
            close_quietly(connection)

