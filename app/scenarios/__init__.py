"""Scenario files analysts write beside the BPMN (processes/tests/*.yaml): given, steps, expected path and record."""
