"""The plan tab, /projects/<id>/plan: the project plan's texts, goals and related projects,
and the two printable documents made from it (prosjektforslag and styringsdokument)."""
from app.plan.plan import printing, routes  # noqa: F401  (registers the routes)
