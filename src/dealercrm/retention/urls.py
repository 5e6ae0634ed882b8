from django.urls import path

from dealercrm.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.warning_list, name="list"),
]
