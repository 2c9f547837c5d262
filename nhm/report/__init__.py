"""Printable reports: the council report of one municipality and the report of a ring."""
