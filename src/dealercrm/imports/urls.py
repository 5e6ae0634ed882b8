from django.urls import path

from dealercrm.imports import views
from dealercrm.imports.registry import KINDS

app_name = "imports"
urlpatterns = [
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("export/jobs/<int:pk>/", views.export_job, name="export_job"),
    path("export/jobs/<int:pk>/download/", views.export_download, name="export_download"),
    path("exports/log/", views.export_log, name="export_log"),
]
# /data/import/customers/ (name "import_customers"), /data/export/customers/, and so on per kind.
for _kind in KINDS:
    urlpatterns += [
        path(f"import/{_kind}/", views.import_upload, {"kind": _kind}, name=f"import_{_kind}"),
        path(f"export/{_kind}/", views.export, {"kind": _kind}, name=f"export_{_kind}"),
    ]
