"""Pages of the reminders app."""

from django.urls import path

from dealercrm.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_list, name="list"),
    path("add/<int:customer_pk>/", views.add, name="add"),
    path("<int:pk>/done/", views.done, name="done"),
]
