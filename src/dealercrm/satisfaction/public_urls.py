"""The survey link a customer opens without logging in: /s/<token>/."""

from django.urls import path

from dealercrm.satisfaction import views

app_name = "survey"

urlpatterns = [
    path("<str:token>/", views.answer, name="answer"),
]
