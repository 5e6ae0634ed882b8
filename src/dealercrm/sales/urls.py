from django.urls import path

from dealercrm.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.order_list, name="list"),
]
