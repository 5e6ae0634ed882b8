"""Pages of the notifications app."""

from django.urls import path

from dealercrm.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read/", views.mark_read, name="read_all"),
    path("channels/", views.channels, name="channels"),
    path("channels/<int:channel_pk>/", views.channel_edit, name="channel_edit"),
    path("channels/<int:channel_pk>/delete/", views.channel_delete, name="channel_delete"),
    path("channels/<int:channel_pk>/test/", views.channel_test, name="channel_test"),
    path("deliveries/", views.deliveries, name="deliveries"),
]
