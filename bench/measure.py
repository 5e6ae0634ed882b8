"""One database's measurements for bench/run.py (run in a child process with its settings)."""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import django

django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from dealercrm.accounts.models import ApiToken  # noqa: E402
from dealercrm.accounts.services import create_user  # noqa: E402
from dealercrm.companies.services import create_company  # noqa: E402
from dealercrm.customers import fulltext  # noqa: E402
from dealercrm.customers.models import Customer  # noqa: E402
from dealercrm.imports.registry import KINDS  # noqa: E402
from dealercrm.imports.services import export_file, import_file  # noqa: E402
from dealercrm.products.models import Brand, Manufacturer, Product  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import floors  # noqa: E402
import synthetic  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "100000"))
LINES = int(os.environ.get("BENCH_LINES", "5000000"))
IMPORT_LINES = min(LINES, int(os.environ.get("BENCH_IMPORT_LINES", LINES // 5)))
PRODUCTS = 300
END = date(2026, 6, 30)  # two years of history, ending on the as-of date of classify
START = END - timedelta(days=729)
CHUNK = 50_000
SEARCHES = 60
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
WORDS = ["超市", "便利店", "食杂店", "饭店", "酒店", "批发部", "商行", "粮油店"]
TOWNS = ["城关镇", "王集镇", "歪子镇", "新甸铺镇", "沙堰镇", "五星镇", "樊集乡", "上港乡"]
HEADER = [
    "客户编码",
    "客户名称",
    "客户类型",
    "渠道",
    "销售区域",
    "省",
    "市",
    "区县",
    "详细地址",
    "电话",
    "负责人",
    "负责人手机",
    "联系人",
    "联系人手机",
    "经营品牌",
    "店内广告",
    "员工人数",
    "负责人生日",
    "爱好",
    "负责业务员",
    "纬度",
    "经度",
]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return _ms(statistics.median(ordered)), _ms(ordered[int(len(ordered) * 0.95) - 1])


def write_file(path: Path, reps: list[str]) -> None:
    rng = random.Random(2009)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(CUSTOMERS):
            surname = rng.choice(SURNAMES)
            town = rng.choice(TOWNS)
            writer.writerow(
                [
                    f"C{n:06d}",
                    f"{surname}记{rng.choice(WORDS)}{n}",
                    "终端",
                    "便利店",
                    f"{town}片",
                    "河南省",
                    "南阳市",
                    "新野县",
                    f"新野县{town}{rng.randint(1, 300)}号",
                    f"0377-6{rng.randint(1000000, 9999999)}",
                    f"{surname}老板",
                    f"13{rng.randint(100000000, 999999999)}",
                    "小王",
                    f"15{rng.choice('012356789')}{rng.randint(10000000, 99999999)}",
                    "鑫源、康乐",
                    rng.choice(["是", "否"]),
                    rng.randint(1, 20),
                    f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    "钓鱼",
                    rng.choice(reps),
                    f"32.{rng.randint(400000, 600000)}",
                    f"112.{rng.randint(300000, 450000)}",
                ]
            )


def _dealercrm(*args: str) -> tuple[float, int, int, str]:
    """Run a dealercrm command in a child process: seconds, exit status, peak RSS MB, stderr."""
    connection.close()  # hold no SQLite lock while the child writes
    command = [str(Path(sys.executable).with_name("dealercrm")), *args]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = child.stderr.read().decode()[-2000:]
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, child.returncode, round(usage.ru_maxrss / 1024), errors


def _command_exists(name: str) -> bool:
    return name in get_commands()


def customer_floor(source: Path) -> float:
    """Raw insert of the same customer rows into a scratch company: rows/s. Removed after."""
    scratch = create_company("FLOOR", "floor")
    now = timezone.now()
    with source.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        objects = [
            Customer(
                company=scratch,
                code=row[0],
                name=row[1],
                kind="terminal",
                address=row[8],
                phone=row[9].replace("-", ""),
                staff_count=int(row[16]),
                search_text=f"{row[1]} {row[0]} {row[8]}".lower(),
                created_at=now,
                updated_at=now,
            )
            for row in reader
        ]
    columns, rows = floors.model_rows(objects)
    seconds = floors.raw_insert("customers_customer", columns, rows)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM customers_customer WHERE company_id = %s", [scratch.pk])
    return len(rows) / seconds


def make_products(company) -> list[str]:
    maker = Manufacturer.objects.create(company=company, name="基准厂家")
    brands = Brand.objects.bulk_create(
        Brand(company=company, name=f"品牌{n}", manufacturer=maker, is_competitor=n % 4 == 0)
        for n in range(12)
    )
    products = Product.objects.bulk_create(
        Product(
            company=company,
            code=f"P{n:05d}",
            name=f"产品{n}",
            brand=brands[n % len(brands)],
            spec="500ml*12",
            price=Decimal(synthetic.product_price_cents(n)) / 100,
        )
        for n in range(PRODUCTS)
    )
    return [p.code for p in products]


def load_history(company, lines: int, *, seed: int = 11, prefix: str = "SO") -> float:
    """Raw inserts of orders and their lines (the floor for order lines): lines/s."""
    customer_ids = dict(
        Customer.objects.filter(company=company).values_list("code", "pk").order_by()
    )
    customers = [customer_ids[f"C{n:06d}"] for n in range(CUSTOMERS)]
    product_ids = dict(Product.objects.filter(company=company).values_list("code", "pk").order_by())
    products = [product_ids[f"P{n:05d}"] for n in range(PRODUCTS)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM sales_order")
        order_id = cursor.fetchone()[0]
    order_columns = ["id", "company_id", "number", "date", "customer_id"]
    line_columns = [
        "company_id",
        "order_id",
        "customer_id",
        "date",
        "product_id",
        "quantity",
        "amount",
        "cost",
    ]
    seconds = 0.0
    order_rows: list[tuple] = []
    line_rows: list[tuple] = []
    generated = synthetic.orders(
        CUSTOMERS, PRODUCTS, lines, start=START, end=END, seed=seed, prefix=prefix
    )
    for order in generated:
        order_id += 1
        number, day, customer = order[0][:3]
        order_rows.append((order_id, company.pk, number, day, customers[customer]))
        for _, _, _, product, quantity, amount, cost in order:
            line_rows.append(
                (
                    company.pk,
                    order_id,
                    customers[customer],
                    day,
                    products[product],
                    quantity,
                    amount,
                    cost,
                )
            )
        if len(line_rows) >= CHUNK:
            seconds += floors.raw_insert("sales_order", order_columns, order_rows)
            seconds += floors.raw_insert("sales_orderline", line_columns, line_rows)
            order_rows, line_rows = [], []
    if line_rows:
        seconds += floors.raw_insert("sales_order", order_columns, order_rows)
        seconds += floors.raw_insert("sales_orderline", line_columns, line_rows)
    floors.catch_up_sequence("sales_order")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sales_order")
            cursor.execute("ANALYZE sales_orderline")
    return lines / seconds


def _api_percentiles(client: Client, params: list[dict]) -> tuple[float, float]:
    samples = []
    for query in params:
        started = time.perf_counter()
        response = client.get("/api/v1/customers", query)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    return _percentiles(samples)


def main(database: str, out: Path) -> None:
    call_command("migrate", verbosity=0)
    company = create_company("BENCH", "基准经销商")
    reps = [f"rep{i:02d}" for i in range(1, 13)]
    for username in reps:
        create_user(username=username, company=company, role="rep", password="bench-pw-1")
    boss = create_user(username="boss", company=company, role="boss", password="bench-pw-1")
    source = out.parent / "customers.csv"
    write_file(source, reps)
    result: dict = {
        "database": database,
        "customers": CUSTOMERS,
        "order_lines": LINES,
        "notes": [],
    }
    notes = result["notes"]

    result["floor_customer_rows_per_s"] = round(customer_floor(source))

    started = time.perf_counter()
    outcome = import_file("customers", source, company=company, write=True)
    elapsed = time.perf_counter() - started
    assert outcome.ok, outcome.errors[:5]
    result["import_rows_per_s"] = round(CUSTOMERS / elapsed)
    result["import_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    exported = out.parent / "export.csv"
    started = time.perf_counter()
    export_file("customers", exported, company=company)
    result["export_rows_per_s"] = round(CUSTOMERS / (time.perf_counter() - started))

    started = time.perf_counter()
    again = import_file("customers", exported, company=company, write=True)
    assert again.ok, again.errors[:5]
    result["reimport_rows_per_s"] = round(CUSTOMERS / (time.perf_counter() - started))
    assert Customer.objects.filter(company=company).count() == CUSTOMERS

    # ------------------------------------------------------------------ sales history
    product_codes = make_products(company)
    orders_importable = "orders" in KINDS
    floor_lines = LINES - IMPORT_LINES if orders_importable else LINES
    if floor_lines:
        result["floor_order_lines_per_s"] = round(load_history(company, floor_lines))
    if orders_importable:
        orders_file = out.parent / "orders.csv"
        customer_codes = [f"C{n:06d}" for n in range(CUSTOMERS)]
        try:  # the orders helper's generator, when it exists; else bench/synthetic.py
            from dealercrm.sales.synthetic import write_order_lines
        except ImportError:
            synthetic.write_order_file(
                orders_file,
                customer_codes,
                product_codes,
                IMPORT_LINES,
                start=START,
                end=END,
                seed=12,
                prefix="IM",
            )
        else:
            write_order_lines(
                orders_file, customer_codes, product_codes, IMPORT_LINES, START, END, 12
            )
        seconds, status, rss, errors = _dealercrm(
            "import", "orders", str(orders_file), "--company", "BENCH"
        )
        if status == 0:
            result["order_import_lines_per_s"] = round(IMPORT_LINES / seconds)
            result["order_import_peak_rss_mb"] = rss
        else:
            notes.append(f"import orders failed (exit {status}): {errors.strip()[-500:]}")
            load_history(company, IMPORT_LINES, seed=12, prefix="RAW")  # the full history
    else:
        notes.append("order import: not available (no 'orders' import kind yet)")

    # ------------------------------------------------------------------ classification
    window_start = END - timedelta(days=364)
    floor_classes, seconds = floors.classes_by_sql(company.pk, window_start, END)
    result["floor_classify_s"] = round(seconds, 2)
    if _command_exists("classify"):
        result["command_startup_s"] = round(_dealercrm("classify", "--help")[0], 2)
        seconds, status, _, errors = _dealercrm(
            "classify", "--company", "BENCH", "--as-of", END.isoformat()
        )
        if status == 0:
            result["classify_s"] = round(seconds, 2)
            stored = dict(Customer.objects.filter(company=company).values_list("pk", "abc_class"))
            differ = sum(1 for pk, cls in floor_classes.items() if stored.get(pk) != cls)
            result["classify_differs_from_sql"] = differ
        else:
            notes.append(f"classify failed (exit {status}): {errors.strip()[-500:]}")
    else:
        notes.append("classify: not available (no 'classify' command yet); classes set by SQL")
    if "classify_s" not in result:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE customers_customer SET abc_class = %s WHERE id = %s",
                [(cls, pk) for pk, cls in floor_classes.items()],
            )
    result["class_shares"] = {
        cls: sum(1 for value in floor_classes.values() if value == cls) for cls in "ABC"
    }

    # ------------------------------------------------------------------ lists
    token = ApiToken.issue(boss)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    rng = random.Random(7)
    words = ["wjcs", "lijibianli", "王记", "城关镇", "1380", "C0123", "hjfd", "超市"]
    queries = [rng.choice(words) for _ in range(SEARCHES)]
    searches = [{"q": q, "page_size": 50} for q in queries]
    result["api_search_p50_ms"], result["api_search_p95_ms"] = _api_percentiles(client, searches)
    if connection.vendor == "sqlite":  # the same searches without the FTS5 index
        indexed_from = fulltext.MIN_LENGTH
        fulltext.MIN_LENGTH = 10**9
        result["api_search_scan_p95_ms"] = _api_percentiles(client, searches)[1]
        fulltext.MIN_LENGTH = indexed_from
    by_class = [{"q": q, "abc_class": rng.choice("ABC"), "page_size": 50} for q in queries]
    result["api_search_class_p50_ms"], result["api_search_class_p95_ms"] = _api_percentiles(
        client, by_class
    )
    filters = [{"kind": "terminal", "owner": rng.choice(reps)} for _ in range(SEARCHES // 2)]
    result["api_filter_p95_ms"] = _api_percentiles(client, filters)[1]

    web = Client()
    web.force_login(boss)
    samples = []
    for q in queries:
        started = time.perf_counter()
        response = web.get("/customers/", {"q": q})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    result["page_search_p50_ms"], result["page_search_p95_ms"] = _percentiles(samples)
    out.write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
