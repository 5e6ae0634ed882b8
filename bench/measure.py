"""One database's measurements for bench/run.py (run in a child process with its settings)."""

from __future__ import annotations

import csv
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from dealercrm.accounts.models import ApiToken  # noqa: E402
from dealercrm.accounts.services import create_user  # noqa: E402
from dealercrm.companies.services import create_company  # noqa: E402
from dealercrm.customers.models import Customer  # noqa: E402
from dealercrm.imports.services import export_file, import_file  # noqa: E402

CUSTOMERS = int(__import__("os").environ.get("BENCH_CUSTOMERS", "100000"))
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


def main(database: str, out: Path) -> None:
    call_command("migrate", verbosity=0)
    company = create_company("BENCH", "基准经销商")
    reps = [f"rep{i:02d}" for i in range(1, 13)]
    for username in reps:
        create_user(username=username, company=company, role="rep", password="bench-pw-1")
    boss = create_user(username="boss", company=company, role="boss", password="bench-pw-1")
    source = out.parent / "customers.csv"
    write_file(source, reps)
    result: dict = {"database": database, "customers": CUSTOMERS}

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

    token = ApiToken.issue(boss)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    rng = random.Random(7)
    queries = [
        rng.choice(["wjcs", "lijibianli", "王记", "城关镇", "1380", "C0123", "hjfd"])
        for _ in range(SEARCHES)
    ]
    samples = []
    for q in queries:
        started = time.perf_counter()
        response = client.get("/api/v1/customers", {"q": q, "page_size": 50})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    result["api_search_p50_ms"], result["api_search_p95_ms"] = _percentiles(samples)

    samples = []
    for _ in range(SEARCHES // 2):
        started = time.perf_counter()
        response = client.get("/api/v1/customers", {"kind": "terminal", "owner": rng.choice(reps)})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    result["api_filter_p95_ms"] = _percentiles(samples)[1]

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
