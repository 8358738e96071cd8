"""A page chosen and sent with the form at once is stored once (issue 16, R-JOIN-5): on a phone the autosave's answer
can be lost (the network drops as the file arrives); the page then leaves the file in its field to go with the form,
and the server, which had kept it with the draft, finds it is the same file. The submitted 劳动合同 lists it once."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import agree_to_notice, start
from tests.browser.test_journeys import APPLICANT, fill_application, png


@pytest.fixture
def size() -> str:
    return "phone"


def test_a_page_whose_autosave_answer_was_lost_is_sent_with_the_form_and_kept_once(open_as, live):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    agree_to_notice(applicant)
    fill_application(applicant, live.world.firm_bj_name)  # one page of 劳动合同 kept already
    reached = []

    def lose_the_answer(route):
        if b'name="labour_contract"; filename=' not in (route.request.post_data_buffer or b""):
            route.continue_()
            return
        route.fetch()  # the server gets the file and keeps it with the draft
        reached.append(route.request.url)
        route.abort("connectionreset")  # … and the page never hears so

    applicant.route("**/autosave", lose_the_answer)
    applicant.locator("#f-labour_contract-upload").set_input_files([png(9)])
    expect(applicant.get_by_role("button", name="提交申请")).to_be_enabled()  # the save has failed, as the page saw it
    assert reached and applicant.locator("#f-labour_contract-upload").evaluate("i => i.files.length") == 1
    applicant.get_by_role("button", name="提交申请").click()

    expect(applicant.get_by_text("当前步骤：")).to_contain_text("机构确认")
    contract = applicant.locator("xpath=//dt[normalize-space()='劳动合同']/following-sibling::dd[1]//li")
    expect(contract.get_by_role("img")).to_have_count(2)
    assert contract.get_by_role("img").evaluate_all("imgs => imgs.map(i => i.alt)") == ["scan4.png", "scan9.png"]
