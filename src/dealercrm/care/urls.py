"""Pages of the care app."""

from django.urls import path

from dealercrm.care import views

app_name = "care"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("done/", views.done, name="done"),
    path("festivals/", views.festival_list, name="festivals"),
]
