"""Command line: `python -m app.cli init-demo` creates the tables and loads demo data once."""

import sys

from sqlalchemy import inspect

from app import create_app
from app.demo import demo_loaded, load_demo
from app.extensions import db


def schema_drift() -> list[str]:
    """Tables and columns the models have but the database lacks (the schema changed since it was made)."""
    inspector = inspect(db.engine)
    existing = set(inspector.get_table_names())
    missing = []
    for table in db.metadata.sorted_tables:
        if table.name not in existing:
            missing.append(table.name)
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in columns]
    return missing


def init_demo() -> None:
    app = create_app()
    with app.app_context():
        drift = schema_drift() if inspect(db.engine).get_table_names() else []
        if drift:
            # only ever the demo database: there are no migrations yet, and its data is generated anyway
            print(f"demo database is from an older version (missing {', '.join(drift[:5])}…): rebuilding it")
            db.drop_all()
        db.create_all()
        if demo_loaded():
            print("demo data already present")
            return
        load_demo()
        db.session.commit()
        print("demo data loaded")


if __name__ == "__main__":
    commands = {"init-demo": init_demo}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python -m app.cli {{{'|'.join(commands)}}}")
    commands[sys.argv[1]]()
