"""What the applicant reads after a step (issue 16): agreeing to the notice is no submission."""

from tests.workflow.test_views import application_form, start_and_accept_notice


def test_agreeing_to_the_notice_says_what_comes_next_not_submitted(client, world):
    form_url = start_and_accept_notice(client, world)

    page = client.get(form_url).get_data(as_text=True)

    assert "请继续：填写入会申请" in page and "已提交" not in page


def test_sending_the_application_says_submitted(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    client.get(form_url)  # the flash of the notice is read here

    resp = client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")

    assert resp.status_code == 302
    assert "已提交" in client.get(resp.headers["Location"]).get_data(as_text=True)
