"""Tests of app/directory: unit tests, the demo directory and a real slapd."""
