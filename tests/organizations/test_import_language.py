"""An import's refusal reasons are in the language of the person importing, whoever imported the same code first
(the code's check is remembered per worker; its message must not be)."""

from flask_babel import force_locale

from app.organizations.imports import credit_code_error


def test_a_wrong_credit_code_is_refused_in_each_readers_language(app):
    with app.test_request_context():
        with force_locale("zh"):
            assert "不正确" in (credit_code_error("91110000100000001A") or "")
        with force_locale("en"):
            assert "is invalid" in (credit_code_error("91110000100000001A") or "")
