from django.urls import path

from dealercrm.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("new/", views.region_create, name="create"),
    path("<int:pk>/edit/", views.region_edit, name="edit"),
    path("<int:pk>/delete/", views.region_delete, name="delete"),
    path("divisions/options/", views.division_options, name="division_options"),
]
