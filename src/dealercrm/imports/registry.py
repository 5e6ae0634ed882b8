"""The kinds of data that can be imported and exported, by name ("customers", later "orders"...).

Each kind names its importer and exporter by dotted path, so this module imports no app and an
app adds its kind with one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    name: str
    label: Promise
    importer: str  # dotted path of an engine.Importer subclass
    exporter: str  # dotted path of an exporting.Exporter subclass
    import_permission: str
    export_permission: str
    list_url: str  # where the imported rows are seen
    # dotted path of a callable (user, QueryDict) → the list's filter, for web exports
    filters: str = ""

    def importer_class(self) -> type:
        return import_string(self.importer)

    def exporter_class(self) -> type:
        return import_string(self.exporter)


KINDS: dict[str, Kind] = {
    "customers": Kind(
        name="customers",
        label=_("customers"),
        importer="dealercrm.customers.importing.CustomerImporter",
        exporter="dealercrm.customers.exporting.CustomerExporter",
        import_permission="customer.import",
        export_permission="customer.export",
        list_url="customers:list",
        filters="dealercrm.customers.exporting.filters_from_query",
    ),
    "orders": Kind(
        name="orders",
        label=_("orders"),
        importer="dealercrm.sales.importing.OrderImporter",
        exporter="dealercrm.sales.exporting.OrderExporter",
        import_permission="order.import",
        export_permission="order.export",
        list_url="sales:list",
    ),
    "products": Kind(
        name="products",
        label=_("products"),
        importer="dealercrm.products.importing.ProductImporter",
        exporter="dealercrm.products.exporting.ProductExporter",
        import_permission="product.manage",
        export_permission="product.manage",
        list_url="products:list",
        filters="dealercrm.products.exporting.filters_from_query",
    ),
}


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)
