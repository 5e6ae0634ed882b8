"""The survey link a customer opens without logging in: /s/<token>/."""

from django.urls import path  # noqa: F401

app_name = "survey"

urlpatterns: list = []
