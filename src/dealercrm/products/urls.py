from django.urls import path

from dealercrm.products import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_create, name="create"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    path("<int:pk>/delete/", views.product_delete, name="delete"),
    path("brands/", views.brand_list, name="brands"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("manufacturers/", views.manufacturer_list, name="manufacturers"),
    path("manufacturers/new/", views.manufacturer_create, name="manufacturer_create"),
    path("manufacturers/<int:pk>/edit/", views.manufacturer_edit, name="manufacturer_edit"),
]
