from django.urls import path

from dealercrm.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("run/", views.run_job, name="run"),
]
