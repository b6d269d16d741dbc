"""The rule files shipped with the cleaner (YAML; this file makes them package data)."""
