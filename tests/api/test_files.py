"""Uploads through the API: type judged by content, and the stored type wins over what a client claims."""

from tests.files.pdfs import pdf

PDF = pdf()


def test_upload_gives_the_attachment_reference(world, browser, post_file):
    response = post_file(browser(world.applicant), "照片.png")
    assert response.status_code == 201
    assert response.json == {"id": response.json["id"], "name": "照片.png", "mime": "image/png"}


def test_text_named_png_is_refused_by_content(world, browser, post_file):
    response = post_file(browser(world.applicant), "fake.png", b"just some text, not an image")
    assert response.status_code == 422
    assert response.json["error"] == "文件「fake.png」不是 PNG/JPG/JPEG 图片或 PDF 文件（按文件内容识别）"


def test_missing_file_is_refused(world, browser):
    response = browser(world.applicant).post("/api/v1/files", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["fields"] == {"file": "请选择要上传的文件"}


def test_pdf_labelled_as_image_is_still_refused_for_an_image_only_field(
    world, start_application, application_data, post_file
):
    client, _, task_id = start_application()
    pdf = post_file(client, "photo.pdf", PDF).json
    assert pdf["mime"] == "application/pdf"
    data = application_data(client, photo=[{**pdf, "mime": "image/png", "name": "photo.png"}])
    response = client.post(f"/api/v1/tasks/{task_id}/complete", json=data)
    assert response.status_code == 422
    assert response.json["fields"]["photo"] == "证件照片只接受 PNG/JPG/JPEG 图片，请删除 PDF 文件"


def test_someone_elses_file_cannot_be_referenced(world, browser, start_application, application_data, post_file):
    theirs = post_file(browser(world.returning), "theirs.png").json
    client, _, task_id = start_application()
    response = client.post(f"/api/v1/tasks/{task_id}/complete", json=application_data(client, photo=[theirs]))
    assert response.status_code == 403 and response.json["error"] == "附件不属于您，不能引用"
