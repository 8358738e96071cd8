"""The production providers on their SDKs (R-AUC-6), with locally generated keys and no network: a WeChat Pay v3
notification signed with a test platform key and encrypted with the API v3 key is decrypted and verified through
wechatpayv3; an Alipay notification signed with a test Alipay key is verified through python-alipay-sdk; the
Alipay cashier link is signed with the application's key."""

import base64
import json
import secrets
from urllib.parse import parse_qsl, urlsplit

import pytest
from alipay import AliPay
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app import clock
from app.extensions import db
from app.payments.models import Payment
from app.workflow import services
from tests.payments.paying import latest_order, pay
from tests.processes.walk import open_task

APPLICATION = {"sessions": 3, "main_item_type": "股权", "turnover_wan": 80, "consent_statement": []}
APIV3_KEY = "0123456789abcdef0123456789abcdef"  # 32 bytes, as WeChat Pay's API v3 key
PUBLIC_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000"


def _rsa() -> tuple[rsa.RSAPrivateKey, str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return key, private, public


@pytest.fixture(scope="module")
def keys():
    return {name: _rsa() for name in ("merchant", "wechat_platform", "alipay_app", "alipay_platform", "stranger")}


@pytest.fixture
def live(app, monkeypatch, keys):
    settings = {
        "MEMBERFLOW_PAYMENT_BACKEND": "live",
        "MEMBERFLOW_WECHATPAY_MCHID": "1900000109",
        "MEMBERFLOW_WECHATPAY_APPID": "wxd678efh567hg6787",
        "MEMBERFLOW_WECHATPAY_CERT_SERIAL_NO": "444F4864EA9B34415",
        "MEMBERFLOW_WECHATPAY_PRIVATE_KEY": keys["merchant"][1],
        "MEMBERFLOW_WECHATPAY_APIV3_KEY": APIV3_KEY,
        "MEMBERFLOW_WECHATPAY_PUBLIC_KEY": keys["wechat_platform"][2],
        "MEMBERFLOW_WECHATPAY_PUBLIC_KEY_ID": PUBLIC_KEY_ID,
        "MEMBERFLOW_ALIPAY_APPID": "2021000000000001",
        "MEMBERFLOW_ALIPAY_PRIVATE_KEY": keys["alipay_app"][1],
        "MEMBERFLOW_ALIPAY_PUBLIC_KEY": keys["alipay_platform"][2],
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    return settings


@pytest.fixture
def ordered(world, live):
    def make(method):
        user = world.auction_users["practicing"]
        instance = services.start_process("auctioneer_registration", user)
        data = {**APPLICATION, "join_branch": False, "firm_id": world.auction["firm_bj"].id}
        services.submit_task(open_task(instance).id, user, data)
        order = pay(instance, user, deliver=False, method=method)
        db.session.commit()
        return instance, order

    return make


def wechat_notification(order, *, signer, serial=PUBLIC_KEY_ID, apiv3_key=APIV3_KEY, total=None, timestamp=None):
    """What WeChat Pay posts: the transaction AES-256-GCM encrypted with the API v3 key, the body signed
    (SHA256-RSA2048) with the platform key."""
    resource = {
        "mchid": "1900000109",
        "out_trade_no": order.order_no,
        "transaction_id": f"42000{secrets.randbelow(10**20):020d}",
        "trade_type": "NATIVE",
        "trade_state": "SUCCESS",
        "success_time": clock.now().astimezone().isoformat(timespec="seconds"),
        "amount": {"total": order.amount_fen if total is None else total, "currency": "CNY"},
    }
    nonce = secrets.token_hex(6)
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(nonce.encode(), json.dumps(resource).encode(), b"transaction")
    body = json.dumps(
        {
            "id": "EV-2018022511223320873",
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(),
                "associated_data": "transaction",
                "nonce": nonce,
            },
        }
    )
    ts, header_nonce = timestamp or str(int(clock.now().timestamp())), secrets.token_hex(16)
    signature = signer.sign(f"{ts}\n{header_nonce}\n{body}\n".encode(), padding.PKCS1v15(), hashes.SHA256())
    headers = {
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Nonce": header_nonce,
        "Wechatpay-Signature": base64.b64encode(signature).decode(),
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }
    return headers, body


def post_wechat(client, headers, body):
    return client.post("/payments/notify/wechat", data=body, headers=headers, content_type="application/json")


def nothing_changed(instance):
    db.session.expire_all()
    assert latest_order(instance).status == "pending"
    assert db.session.query(Payment).count() == 0
    assert instance.waiting_messages == ["payment_received"]


def test_a_wechat_pay_notification_is_decrypted_and_verified_by_the_sdk(client, ordered, keys):
    """R-AUC-6: signed with the platform key, the resource decrypted with the API v3 key → paid, review starts."""
    instance, order = ordered("wechat")
    response = post_wechat(client, *wechat_notification(order, signer=keys["wechat_platform"][0]))
    assert (response.status_code, response.json["code"]) == (200, "SUCCESS")
    db.session.expire_all()
    assert latest_order(instance).status == "paid"
    assert db.session.query(Payment).one().provider == "wechat"
    assert open_task(instance).role == "auction_firm"


@pytest.mark.parametrize(
    "forgery",
    [
        {"signer": "stranger"},  # not the platform's key
        {"apiv3_key": "ffffffffffffffffffffffffffffffff"},  # signed, but not encrypted with our API v3 key
        {"total": 1},  # signed and encrypted, wrong amount
        {"timestamp": "1000000000"},  # a captured notification replayed long after
    ],
)
def test_forged_or_wrong_wechat_notifications_change_nothing(client, ordered, keys, forgery):
    instance, order = ordered("wechat")
    signer = keys[forgery.pop("signer", "wechat_platform")][0]
    response = post_wechat(client, *wechat_notification(order, signer=signer, **forgery))
    assert (response.status_code, response.json["code"]) == (400, "FAIL")
    nothing_changed(instance)


def test_another_serial_is_refused_without_downloading_certificates(client, ordered, keys, monkeypatch):
    """Public-key mode: a notification naming another key is refused here; the SDK never goes to the network."""
    import wechatpayv3.core

    calls = []
    monkeypatch.setattr(wechatpayv3.core.requests, "get", lambda *a, **k: calls.append(a))
    instance, order = ordered("wechat")
    headers, body = wechat_notification(order, signer=keys["wechat_platform"][0], serial="5157F09EFDC096DE15EBE81A")
    assert post_wechat(client, headers, body).status_code == 400
    assert calls == []
    nothing_changed(instance)


def alipay_notification(order, live, *, signer_key, **changes):
    """What Alipay posts: a form whose fields (but sign and sign_type) are signed RSA2 with Alipay's key."""
    params = {
        "notify_time": "2026-12-04 18:00:00",
        "notify_type": "trade_status_sync",
        "notify_id": secrets.token_hex(16),
        "app_id": live["MEMBERFLOW_ALIPAY_APPID"],
        "charset": "utf-8",
        "version": "1.0",
        "trade_no": f"2026120422001{secrets.randbelow(10**15):015d}",
        "out_trade_no": order.order_no,
        "trade_status": "TRADE_SUCCESS",
        "total_amount": f"{order.amount_fen / 100:.2f}",
        "gmt_payment": "2026-12-04 17:59:58",
        "subject": order.purpose,
        **changes,
    }
    # the SDK's own signer, holding the test key that plays Alipay's (its "app" key here)
    alipay_side = AliPay(
        appid=params["app_id"],
        app_private_key_string=signer_key,
        alipay_public_key_string=live["MEMBERFLOW_ALIPAY_PUBLIC_KEY"],
    )
    return alipay_side.sign_data(params) + "&sign_type=RSA2"


def post_alipay(client, body):
    return client.post("/payments/notify/alipay", data=body.encode(), content_type="application/x-www-form-urlencoded")


def test_an_alipay_notification_is_verified_by_the_sdk(client, ordered, keys, live):
    instance, order = ordered("alipay")
    response = post_alipay(client, alipay_notification(order, live, signer_key=keys["alipay_platform"][1]))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "success")
    db.session.expire_all()
    assert latest_order(instance).status == "paid"
    assert open_task(instance).role == "auction_firm"


@pytest.mark.parametrize(
    ("signer", "changes"),
    [
        ("stranger", {}),
        ("alipay_platform", {"total_amount": "0.01"}),
        ("alipay_platform", {"app_id": "2021000000000999"}),
        ("alipay_platform", {"trade_status": "WAIT_BUYER_PAY"}),
    ],
)
def test_forged_or_wrong_alipay_notifications_change_nothing(client, ordered, keys, live, signer, changes):
    instance, order = ordered("alipay")
    response = post_alipay(client, alipay_notification(order, live, signer_key=keys[signer][1], **changes))
    assert response.get_data(as_text=True) == "fail"
    nothing_changed(instance)


def test_the_alipay_cashier_link_is_signed_with_the_application_key(world, logged_in, ordered, keys, live):
    """去支付 → Alipay's cashier; the link's parameters verify with the application's public key (RSA2)."""
    instance, order = ordered("alipay")
    response = logged_in(world.auction_users["practicing"]).post(f"/payments/orders/{order.order_no}/pay")
    target = urlsplit(response.headers["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "openapi.alipay.com", "/gateway.do")
    params = dict(parse_qsl(target.query))
    signature = params.pop("sign")
    # a request's signature covers every parameter but sign, sorted (sign_type included), RSA2 = SHA256withRSA
    signed = "&".join(f"{k}={v}" for k, v in sorted(params.items())).encode()
    keys["alipay_app"][0].public_key().verify(base64.b64decode(signature), signed, padding.PKCS1v15(), hashes.SHA256())
    biz = json.loads(params["biz_content"])
    assert (biz["out_trade_no"], biz["total_amount"], params["notify_url"]) == (
        order.order_no,
        f"{order.amount_fen / 100:.2f}",
        "http://localhost/payments/notify/alipay",
    )
    assert latest_order(instance).status == "pending"


def test_the_bank_gateway_is_a_slot_not_connected(world, logged_in, ordered):
    _instance, order = ordered("bank")
    response = logged_in(world.auction_users["practicing"]).post(f"/payments/orders/{order.order_no}/pay")
    assert response.status_code == 403 and "尚未接入" in response.get_data(as_text=True)


def test_the_development_cashier_is_gone_in_live_mode(world, logged_in, ordered):
    _instance, order = ordered("wechat")
    assert logged_in(world.auction_users["practicing"]).get(f"/dev/cashier/{order.order_no}").status_code == 404
    assert logged_in(world.auction_users["practicing"]).post("/payments/notify/dev").status_code == 404
