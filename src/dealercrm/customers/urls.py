from django.urls import path

from dealercrm.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/delete/", views.customer_delete, name="delete"),
    path("<int:pk>/assign/", views.customer_assign, name="assign"),
    path("<int:pk>/contacts/new/", views.contact_form, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_form, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/products/new/", views.product_form, name="product_create"),
    path("<int:pk>/products/<int:item_pk>/edit/", views.product_form, name="product_edit"),
    path("<int:pk>/products/<int:item_pk>/delete/", views.product_delete, name="product_delete"),
]
