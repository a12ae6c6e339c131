"""The README's commands, run as a reader would type them (`make run`, …)."""
