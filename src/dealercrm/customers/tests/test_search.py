"""The search box finds exactly the customers whose search text holds every word.

On SQLite words of three or more characters go through the FTS5 trigram index; the results must
be the same as the plain substring match, which the reference below computes in Python.
"""

import random

import pytest
from django.db import connection

from dealercrm.core.tests.apiclient import ApiClient
from dealercrm.customers import fulltext, services
from dealercrm.customers.models import Customer
from dealercrm.testing import make_customer

SURNAMES = "王李张刘陈杨赵黄周吴"
SHOPS = ["超市", "便利店", "食杂店", "饭店", "批发部", "商行"]
TOWNS = ["城关镇", "王集镇", "歪子镇", "新甸铺镇", "沙堰镇"]
QUERIES = [
    "hxcs", "wjcs", "wangji", "chaoshi", "bld", "王记", "超市", "王记超市", "新甸铺",
    "城关镇 超市", "1380", "13812345678", "0377", "377", "c0001", "C00", "ZX", "zx9",
    "o", "12", "王", "记 cs", "%", "_", "100%", 'a"b', "'", "xyz不存在", "a001 华鑫",
    "ÉCOLE", "école", "ß", "strasse", "HXCS", "Wang Ji",
]  # fmt: skip


def reference(company, query: str) -> list[str]:
    """Codes whose search text holds every lower-cased word, computed in Python."""
    words = query.lower().split()
    rows = Customer.objects.filter(company=company).values_list("code", "search_text")
    return sorted(code for code, text in rows if all(word in text for word in words))


def searched(company, query: str) -> list[str]:
    rows = Customer.objects.for_company(company).search(query)
    return sorted(rows.values_list("code", flat=True))


@pytest.fixture
def varied(personas):
    rng = random.Random(3)
    for n in range(120):
        surname = rng.choice(SURNAMES)
        make_customer(
            personas.company,
            code=f"ZX{n:03d}",
            name=f"{surname}记{rng.choice(SHOPS)}{n}",
            address=f"新野县{rng.choice(TOWNS)}{rng.randint(1, 300)}号",
            phone=f"13{rng.randint(100000000, 999999999)}",
        )
    make_customer(personas.company, code="ZX900", name="École Straße 100% a\"b 's")
    return personas.company


def test_search_returns_exactly_the_substring_matches_on_varied_data(varied):
    for query in QUERIES:
        assert searched(varied, query) == reference(varied, query), query


def test_search_matches_substrings_of_random_texts_exactly(personas):
    rng = random.Random(5)
    alphabet = "王记超市便利店abcxyzABC0123456789éÉß-_%"
    for n in range(60):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        make_customer(personas.company, code=f"R{n:03d}", name=name.strip("-_") or "x")
    texts = list(Customer.objects.values_list("search_text", flat=True))
    queries = []
    for _ in range(150):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        queries.append(text[start : start + rng.randint(1, 6)])
        queries.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))))
    for query in queries:
        if query.strip():
            assert searched(personas.company, query) == reference(personas.company, query), query


def test_search_finds_pinyin_initials_chinese_and_phone_digits(varied, personas):
    assert "A001" in searched(varied, "hxcs")  # 华鑫超市
    assert searched(varied, "新甸铺") == reference(varied, "新甸铺") != []
    assert searched(varied, "13812345678") == ["A001"]


def test_a_renamed_customer_is_found_by_its_new_name_only(varied, personas):
    customer = personas.rep_customer
    services.update_customer(customer, actor=None, source="system", fields={"name": "兴隆粮油店"})
    assert searched(varied, "兴隆粮油") == ["A001"]
    assert searched(varied, "xlly") == ["A001"]
    assert "A001" not in searched(varied, "hxcs")


def test_a_deleted_customer_is_no_longer_found(varied, personas):
    services.delete_customer(personas.other_rep_customer, actor=None, source="system")
    code = personas.other_rep_customer.code
    assert code not in searched(varied, code.lower())
    assert searched(varied, code.lower()) == reference(varied, code.lower())


def test_the_list_api_counts_and_sorts_search_results_like_the_substring_match(varied, personas):
    api = ApiClient(personas.boss)
    for query in ["超市", "jcs", "0377", "王记 超市"]:
        body = api.get("customers", q=query, page_size=500, sort="-name").json()
        expected = reference(varied, query)
        assert body["count"] == len(expected)
        names = [item["name"] for item in body["items"]]
        assert sorted(item["code"] for item in body["items"]) == expected
        assert names == sorted(names, reverse=True)


def test_a_table_rebuild_that_drops_the_triggers_is_repaired_after_migrate(varied, personas):
    if connection.vendor == "sqlite":  # what Django's SQLite table rebuild does to triggers
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {fulltext.TABLE}_insert")
    make_customer(personas.company, code="ZX950", name="丰收农资店")
    fulltext.after_migrate(sender=None, using="default")
    assert searched(varied, "丰收农资") == ["ZX950"]
    assert searched(varied, "fsnzd") == ["ZX950"]
