"""`url_for` in templates is remembered per worker (app/template_urls.py): each link is still the one Flask builds
for the request it is written in."""

from flask import render_template_string, url_for

CALLS = (
    ("workflow.inbox", {}),
    (".my_applications", {}),  # relative: the blueprint of the request's endpoint
    ("workflow.inbox", {"page": 2, "sort": "due"}),
    ("workflow.inbox", {"sort": "due", "page": 2}),  # the same values in another order: another query string
    ("workflow.inbox", {"_external": True}),
    ("workflow.inbox", {"q": ["a", "b"]}),  # a value that cannot be a key
    ("workflow.inbox", {"page": 1}),
    ("workflow.inbox", {"page": True}),  # equal to 1 as a key (and 1.0): written "True", not the link for 1
    ("workflow.inbox", {"page": 1.0}),
)


def test_each_link_in_a_template_is_the_one_flask_builds_for_that_request(app):
    page = " ".join(f"{{{{ url_for({endpoint!r}, **values[{i}])|safe }}}}" for i, (endpoint, _) in enumerate(CALLS))
    for path, script_root in (("/inbox", ""), ("/inbox", "/members"), ("/", ""), ("/inbox", "/other"), ("/", "")):
        with app.test_request_context(path, base_url=f"http://localhost{script_root}/"):
            written = render_template_string(page, values=[v for _, v in CALLS]).split(" ")
            assert written == [url_for(endpoint, **values) for endpoint, values in CALLS]
            assert written[0] == f"{script_root}/inbox"
            assert written[2] != written[3]


def test_a_template_without_the_pages_context_builds_its_links_through_flask(app):
    """A template rendered outside Flask's render (no context processors: no request root in its context) still
    writes the link Flask builds for the request, not one remembered for another script root."""
    page = app.jinja_env.from_string("{{ url_for('workflow.inbox') }}")
    for script_root in ("", "/members"):
        with app.test_request_context("/inbox", base_url=f"http://localhost{script_root}/"):
            render_template_string("{{ url_for('workflow.inbox') }}")  # remembers the link for this root
            assert page.render() == f"{script_root}/inbox"
