"""Pages of the satisfaction app."""

from django.urls import path

from dealercrm.satisfaction import views

app_name = "satisfaction"

urlpatterns = [
    path("", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("record/<int:customer_pk>/", views.record, name="record"),
    path("link/<int:customer_pk>/", views.create_link, name="create_link"),
]
