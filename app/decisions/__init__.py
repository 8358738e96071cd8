"""Decisions you can replay: the decision log, what-if replays of draft DMN tables, scenario files."""
