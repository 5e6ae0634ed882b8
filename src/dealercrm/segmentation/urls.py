from django.urls import path

from dealercrm.segmentation import views

app_name = "segmentation"
# The customer is sent in the POST body (field "customer") and looked up through
# Customer.objects.visible_to(user), like every page that takes an id.
urlpatterns = [
    path("", views.classes, name="classes"),
    path("status/", views.run_status, name="status"),
    path("recompute/", views.recompute, name="recompute"),
    path("settings/", views.update_settings, name="settings"),
    path("policies/", views.update_policies, name="policies"),
    path("override/", views.override, name="override"),
    path("override/remove/", views.remove_override, name="remove_override"),
]
