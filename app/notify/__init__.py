"""Notifications to people (SMS); the backend is chosen by MEMBERFLOW_SMS_BACKEND."""

from app.notify.services import send_sms

__all__ = ["send_sms"]
