"""Pages of the staff app."""

from django.urls import path

from dealercrm.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("me/", views.my_profile, name="me"),
    path("new/", views.employee_create, name="create"),
    path("<int:pk>/", views.employee_detail, name="detail"),
    path("<int:pk>/edit/", views.employee_edit, name="edit"),
    path("<int:pk>/trainings/", views.training_add, name="training_add"),
    path("<int:pk>/assessments/", views.assessment_add, name="assessment_add"),
    path("trainings/<int:pk>/delete/", views.training_delete, name="training_delete"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
    path("skills/", views.skill_list, name="skills"),
    path("skills/<int:pk>/", views.skill_edit, name="skill_edit"),
    path("skills/<int:pk>/move/", views.skill_move, name="skill_move"),
    path("skills/<int:pk>/delete/", views.skill_delete, name="skill_delete"),
]
