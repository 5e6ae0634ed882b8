"""Pages of the ownership app."""

from django.urls import path  # noqa: F401

app_name = "ownership"

urlpatterns: list = []
