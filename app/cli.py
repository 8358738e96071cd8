"""Command line: `python -m app.cli init-demo` creates the tables and loads demo data once."""

import sys

from app import create_app
from app.demo import demo_loaded, load_demo
from app.extensions import db


def init_demo() -> None:
    app = create_app()
    with app.app_context():
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
