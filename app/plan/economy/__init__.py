"""The economy tab, /projects/<id>/economy: the budget per year (investment and running
costs), the financing with grants, and planned against spent."""
from app.plan.economy import views  # noqa: F401  (registers the views)
