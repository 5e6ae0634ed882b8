"""Pages of the staff app."""

from django.urls import path  # noqa: F401

app_name = "staff"

urlpatterns: list = []
