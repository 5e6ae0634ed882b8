from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language

from dealercrm.api import api
from dealercrm.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("dealercrm.accounts.urls")),
    path("customers/", include("dealercrm.customers.urls")),
    path("regions/", include("dealercrm.regions.urls")),
    path("data/", include("dealercrm.imports.urls")),
    path("products/", include("dealercrm.products.urls")),
    path("sales/", include("dealercrm.sales.urls")),
    path("classes/", include("dealercrm.segmentation.urls")),
    path("warnings/", include("dealercrm.retention.urls")),
    path("jobs/", include("dealercrm.jobs.urls")),
    path("staff/", include("dealercrm.staff.urls")),
    path("visits/", include("dealercrm.visits.urls")),
    path("ownership/", include("dealercrm.ownership.urls")),
    path("notifications/", include("dealercrm.notifications.urls")),
    path("reminders/", include("dealercrm.reminders.urls")),
    path("agenda/", include("dealercrm.care.urls")),
    path("satisfaction/", include("dealercrm.satisfaction.urls")),
    path("complaints/", include("dealercrm.complaints.urls")),
    # Short, for a text message or WeChat: the customer's one-time satisfaction link.
    path("s/", include("dealercrm.satisfaction.public_urls")),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
