"""Pages of the notifications app."""

from django.urls import path

from dealercrm.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read/", views.mark_read, name="read_all"),
]
