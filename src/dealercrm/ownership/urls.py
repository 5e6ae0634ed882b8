"""Pages of the ownership app: the public pool, bulk assign, handovers."""

from django.urls import path

from dealercrm.ownership import views

app_name = "ownership"

urlpatterns = [
    path("pool/", views.pool, name="pool"),
    path("pool/settings/", views.pool_settings, name="pool_settings"),
    path("pool/<int:pk>/", views.pool_customer, name="pool_customer"),
    path("pool/<int:pk>/claim/", views.claim, name="claim"),
    path("release/<int:pk>/", views.release, name="release"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("handover/", views.handover_start, name="handover_start"),
    path("handover/<int:employee_pk>/", views.handover, name="handover"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
]
