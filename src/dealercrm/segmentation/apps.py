from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentationConfig(AppConfig):
    name = "dealercrm.segmentation"
    label = "segmentation"
    verbose_name = _("Customer classes")
