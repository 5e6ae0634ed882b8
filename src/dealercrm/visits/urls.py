"""Pages of the visits app."""

from django.urls import path

from dealercrm.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("today/", views.today, name="today"),
    path("report/", views.report, name="report"),
    path("checkin/<int:customer_pk>/", views.checkin, name="checkin"),
    path("plan/<int:customer_pk>/", views.plan, name="plan"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photos/", views.add_photo, name="add_photo"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("photos/<int:photo_pk>/", views.photo, name="photo"),
]
