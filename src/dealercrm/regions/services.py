"""Finding divisions by name or code, and reading province / city / county from an address."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dealercrm.regions.choices import DivisionLevel
from dealercrm.regions.models import Division, SalesRegion


@dataclass(frozen=True)
class AddressMatch:
    province: Division | None = None
    city: Division | None = None
    county: Division | None = None


class DivisionIndex:
    """All divisions in memory (about 3,200 rows), indexed by code and by full and short name."""

    def __init__(self, divisions: list[Division]) -> None:
        self.by_code = {d.code: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        for division in divisions:
            for key in {division.name, division.short_name}:
                self.by_name.setdefault(key, []).append(division)
        self.longest_name = max((len(name) for name in self.by_name), default=0)

    def parent_of(self, division: Division) -> Division | None:
        return self.by_code.get(division.parent_id) if division.parent_id else None

    def province_of(self, division: Division) -> Division:
        while division.parent_id:
            division = self.by_code[division.parent_id]
        return division

    def is_within(self, division: Division, ancestor: Division) -> bool:
        current: Division | None = division
        while current is not None:
            if current.code == ancestor.code:
                return True
            current = self.parent_of(current)
        return False

    def find(self, text: str, level: int, within: Division | None = None) -> Division | None:
        """The division of this level named (fully or shortly) or coded text, inside `within`.

        Raises ValidationError when the name is unknown or ambiguous.
        """
        text = text.strip()
        if not text:
            return None
        if text.isdigit() and text in self.by_code:
            candidates = [self.by_code[text]]
        else:
            candidates = self.by_name.get(text, [])
        candidates = [d for d in candidates if d.level == level]
        if within is not None:
            candidates = [d for d in candidates if self.is_within(d, within)]
        if len(candidates) == 1:
            return candidates[0]
        level_name = DivisionLevel(level).label
        if not candidates:
            raise ValidationError(
                _("No %(level)s called “%(value)s”%(where)s."),
                params={
                    "level": level_name,
                    "value": text,
                    "where": _(" in %(name)s") % {"name": within.name} if within else "",
                },
            )
        raise ValidationError(
            _("“%(value)s” names several %(level)s divisions; give the province and city too."),
            params={"value": text, "level": level_name},
        )

    def parse_address(self, address: str, within: Division | None = None) -> AddressMatch:
        """Read province, city and county from the start of a free-text address.

        "河南省郑州市金水区文化路88号" → 河南省, 郑州市, 金水区. The address may start at any
        level ("金水区文化路"), but a name found must sit under what was found before it,
        and a bare county name is used only when it is unique (or unique inside `within`).
        """
        rest = address.strip()
        found: list[Division] = list(filter(None, [within]))
        while rest:
            match = self._match_prefix(rest, found[-1] if found else None)
            if match is None:
                break
            division, length = match
            found.append(division)
            rest = rest[length:]
            if division.level == DivisionLevel.COUNTY:
                break
        if not found:
            return AddressMatch()
        deepest = found[-1]
        chain = [deepest]
        while (parent := self.parent_of(chain[-1])) is not None:
            chain.append(parent)
        by_level = {d.level: d for d in chain}
        return AddressMatch(
            by_level.get(DivisionLevel.PROVINCE),
            by_level.get(DivisionLevel.CITY),
            by_level.get(DivisionLevel.COUNTY),
        )

    def _match_prefix(self, text: str, above: Division | None) -> tuple[Division, int] | None:
        # Longest prefix first, so 郑州市 is tried before 郑州 and 金水区 before 金水.
        for length in range(min(len(text), self.longest_name), 1, -1):
            name = text[:length]
            if name not in self.by_name:
                continue
            candidates = [
                d
                for d in self.by_name[name]
                if (above is None or (d.level > above.level and self.is_within(d, above)))
            ]
            # A name that is both a province and a county (河南省 / 河南县) means the province.
            if len(candidates) > 1:
                top = min(d.level for d in candidates)
                candidates = [d for d in candidates if d.level == top]
            if len(candidates) == 1:
                # A short name must not swallow the start of a street name: 金水 of 金水路.
                if name == candidates[0].short_name and name != candidates[0].name:
                    following = text[len(name) : len(name) + 1]
                    if following in {"路", "街", "大道", "巷", "村", "镇", "乡"}:
                        continue
                return candidates[0], len(name)
        return None


@lru_cache(maxsize=1)
def _cached_index() -> DivisionIndex:
    return DivisionIndex(list(Division.objects.all()))


def division_index() -> DivisionIndex:
    """The shared index; divisions are reference data loaded by a migration and never edited."""
    index = _cached_index()
    if not index.by_code:
        _cached_index.cache_clear()
        index = _cached_index()
    return index


def resolve_divisions(
    *,
    province: str = "",
    city: str = "",
    county: str = "",
    address: str = "",
) -> AddressMatch:
    """Divisions from the 省 / 市 / 区县 texts, or from the address when they are empty.

    Raises ValidationError (with the field as its code) when a given name cannot be found.
    """
    index = division_index()
    errors: dict[str, ValidationError] = {}
    found_province = found_city = found_county = None
    try:
        found_province = index.find(province, DivisionLevel.PROVINCE)
    except ValidationError as exc:
        errors["province"] = exc
    try:
        found_city = index.find(city, DivisionLevel.CITY, within=found_province)
    except ValidationError as exc:
        errors["city"] = exc
    try:
        found_county = index.find(county, DivisionLevel.COUNTY, within=found_city or found_province)
    except ValidationError as exc:
        errors["county"] = exc
    if errors:
        raise ValidationError(errors)
    if found_county is None and address and not (province or city or county):
        return index.parse_address(address)
    if found_county is None and address:
        parsed = index.parse_address(address, within=found_city or found_province)
        found_county = parsed.county
        found_city = found_city or parsed.city
    if found_county is not None:
        found_city = found_city or (
            index.parent_of(found_county)
            if index.parent_of(found_county).level == DivisionLevel.CITY
            else None
        )
    if found_city is not None:
        found_province = found_province or index.province_of(found_city)
    if found_county is not None:
        found_province = found_province or index.province_of(found_county)
    return AddressMatch(found_province, found_city, found_county)


def sales_regions_by_name(company_id: int) -> dict[str, SalesRegion]:
    return {r.name: r for r in SalesRegion.objects.filter(company_id=company_id)}


def children_of(parent_code: str | None, level: int) -> QuerySet[Division]:
    """Divisions of a level under a parent (for cascading pickers)."""
    queryset = Division.objects.filter(level=level)
    if parent_code:
        queryset = queryset.filter(parent_id=parent_code)
    return queryset.order_by("code")


# ---------------------------------------------------------------------------- sales regions
# The company's own territory tree, managed on the regions page.


def region_tree(regions: QuerySet[SalesRegion]) -> list[tuple[SalesRegion, int]]:
    """The regions (already scoped) in tree order with their depth, siblings by name."""
    rows = list(regions.order_by("name"))
    known = {region.pk for region in rows}
    children: dict[int | None, list[SalesRegion]] = {}
    for region in rows:
        # A region whose parent is not in the set is shown as a root rather than lost.
        parent_id = region.parent_id if region.parent_id in known else None
        children.setdefault(parent_id, []).append(region)
    ordered: list[tuple[SalesRegion, int]] = []
    stack = [(region, 0) for region in reversed(children.get(None, []))]
    while stack:
        region, depth = stack.pop()
        ordered.append((region, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(region.pk, [])))
    return ordered


def _check_region(region: SalesRegion) -> None:
    errors: dict[str, str] = {}
    name = region.name.strip()
    if not name:
        errors["name"] = _("Give the region a name.")
    elif (
        SalesRegion.objects.filter(company_id=region.company_id, name=name)
        .exclude(pk=region.pk)
        .exists()
    ):
        errors["name"] = _("There is already a region called “%(name)s”.") % {"name": name}
    parent = region.parent
    if parent is not None:
        if parent.company_id != region.company_id:
            errors["parent"] = _("The parent region does not exist.")
        elif region.pk and parent.pk in region.descendant_ids():
            errors["parent"] = _("A region cannot be placed under itself or one of its subregions.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_region(
    company_id: int, *, name: str, parent: SalesRegion | None = None, notes: str = ""
) -> SalesRegion:
    """Add a region to the company's tree (at the top when parent is None)."""
    region = SalesRegion(company_id=company_id, name=name.strip(), parent=parent, notes=notes)
    _check_region(region)
    region.save()
    return region


@transaction.atomic
def update_region(
    region: SalesRegion, *, name: str, parent: SalesRegion | None, notes: str = ""
) -> SalesRegion:
    """Rename and / or move a region; refuses to put it under itself or a subregion."""
    region.name = name.strip()
    region.parent = parent
    region.notes = notes
    _check_region(region)
    region.save()
    return region


@transaction.atomic
def delete_region(region: SalesRegion) -> None:
    """Delete a region that no customer and no subregion uses."""
    if region.children.exists():
        raise ValidationError(
            _("“%(name)s” still has subregions; move or delete them first.") % {"name": region.name}
        )
    used = region.customers.count()
    if used:
        raise ValidationError(
            ngettext(
                "“%(name)s” is still the region of %(count)d customer; give it another first.",
                "“%(name)s” is still the region of %(count)d customers; give them another first.",
                used,
            )
            % {"name": region.name, "count": used}
        )
    region.delete()
