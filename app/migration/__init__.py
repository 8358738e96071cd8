"""Moving running instances from one version of a process to another (issue 17 item 5): choose, dry-run, migrate.

Imports downward only (workflow → engine); SpiffWorkflow only through app/engine.
"""
