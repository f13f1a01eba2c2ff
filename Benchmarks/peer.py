#!/usr/bin/env python3
"""The benchmark's peer: the figures an analyst would compute with DuckDB or pandas
from the same CSV landing folder (plainly typed: Chinese headers, ISO dates, UTF-8).

Prints one JSON object: the figures and the seconds they took. Usage:
    peer.py --engine duckdb|pandas --landing DIR --date YYYY-MM-DD [--every-date]
    peer.py --read-csv FILE            DuckDB's read_csv of one file on one thread: seconds, rows
    peer.py --calamine LIST            python-calamine reading every sheet of the .xlsx files listed
                                       in LIST (one path a line): seconds, rows
With --every-date the figures of every landing date up to DATE are computed in one process (the
job of a rerun, for its peak memory); the figures printed are DATE's.
"""
import argparse, glob, json, os, time

FIG = ["总数", "在济", "离济", "当日返济", "湖北旅居接触史", "居家观察", "发热", "疑似病例", "确诊病例"]
KEYS = ["total", "in_city", "away", "returned", "hubei", "observation", "fever", "suspected", "confirmed"]


def col(figure, pop):
    if figure == "总数":
        return pop + "总数"
    return figure + pop + "数"


def group(category):
    return "幼儿园" if category == "幼儿园" else ("校外培训机构" if category == "校外培训机构" else "中小学")


def files(landing, date, folder):
    days = sorted(d for d in os.listdir(landing) if d[:2] == "20" and d <= date)
    return [f for d in days for f in glob.glob(os.path.join(landing, d, folder, "*.csv"))]


def registry_file(landing, date):
    revs = sorted(f for f in glob.glob(os.path.join(landing, "registry", "*.csv")) if os.path.basename(f)[:10] <= date)
    return revs[-1]


def header(path):
    """A CSV file's header, read once in Python: the peers are told the dialect and the columns
    instead of sniffing each of thousands of small files."""
    with open(path, encoding="utf-8-sig") as f:
        return f.readline().rstrip("\r\n").split(",")


def setup_duckdb():
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    return con


def run_duckdb(con, landing, date):
    """DuckDB as a competent user writes it: file lists built once, header and dialect given (no
    per-file sniffing), every column typed up front, only the needed columns selected."""
    def read(paths, types):
        names = header(paths[0])
        columns = "{" + ", ".join(f"'{n}': '{types.get(n, 'VARCHAR')}'" for n in names) + "}"
        listed = "[" + ", ".join(f"'{p}'" for p in paths) + "]"
        return (f"read_csv({listed}, auto_detect=false, header=true, delim=',', quote='\"', escape='\"', "
                f"columns={columns})")
    reg = registry_file(landing, date)
    con.execute(f"""CREATE OR REPLACE TABLE reg AS SELECT 机构代码 AS code, 机构类别 AS category FROM {read([reg], {})}
                    WHERE 状态 = '正常'""")
    counts_cols = {col(f, p): "INTEGER" for p in ["学生", "教职工"] for f in FIG}
    # 报告日期 stays text: the 合计 row of a batch file says 合计 there.
    daily = read(files(landing, date, "日报"), {"填报时间": "TIMESTAMP", **counts_cols})
    counts = ", ".join(f'"{col(f, p)}" AS "{p}{k}"' for p in ["学生", "教职工"] for f, k in zip(FIG, KEYS))
    con.execute(f"""CREATE OR REPLACE TABLE winners AS SELECT 机构代码 AS code, 填报时间 AS submitted, {counts}
                    FROM {daily} WHERE 报告日期 = '{date}' AND 填报时间 IS NOT NULL
                    QUALIFY row_number() OVER (PARTITION BY 机构代码 ORDER BY 填报时间 DESC) = 1""")
    rep = con.execute(f"""SELECT count(*), count(w.code), count(w.code) FILTER (WHERE w.submitted <= TIMESTAMP '{date} 12:00:00')
                          FROM reg LEFT JOIN winners w USING (code)""").fetchone()
    sums = ", ".join(f'sum("{p}{k}")' for p in ["学生", "教职工"] for k in KEYS)
    by_group = {}
    for row in con.execute(f"""SELECT CASE WHEN category = '幼儿园' THEN '幼儿园' WHEN category = '校外培训机构' THEN '校外培训机构'
                               ELSE '中小学' END AS g, {sums} FROM reg JOIN winners USING (code) GROUP BY g""").fetchall():
        by_group[row[0]] = {"students": list(row[1:10]), "staff": list(row[10:19])}
    roster = read(files(landing, date, "花名册"), {"摸排日期": "DATE", "观察开始日期": "DATE", "观察结束日期": "DATE"})
    obs = con.execute(f"""WITH r AS (SELECT 机构代码 AS code, 摸排日期 AS as_of, 身份证号 AS id, 观察方式 AS kind,
                                      观察开始日期 AS s, 观察结束日期 AS e FROM {roster}),
                              newest AS (SELECT code, max(as_of) AS as_of FROM r WHERE as_of <= DATE '{date}' GROUP BY code),
                              inforce AS (SELECT r.* FROM r JOIN newest USING (code, as_of) JOIN reg USING (code))
                         SELECT count(DISTINCT id),
                                count(DISTINCT id) FILTER (WHERE kind = '居家观察' AND s <= DATE '{date}' AND (e IS NULL OR e >= DATE '{date}')),
                                count(DISTINCT id) FILTER (WHERE kind = '集中观察' AND s <= DATE '{date}' AND (e IS NULL OR e >= DATE '{date}'))
                         FROM inforce""").fetchone()
    return rep, by_group, obs


def setup_pandas():
    import pandas
    return pandas


def run_pandas(pd, landing, date):
    """pandas as a competent user writes it: only the needed columns, typed as text up front."""
    reg = pd.read_csv(registry_file(landing, date), dtype=str, usecols=["机构代码", "机构类别", "状态"])
    reg = reg[reg["状态"] == "正常"][["机构代码", "机构类别"]].rename(columns={"机构代码": "code", "机构类别": "category"})
    numeric = [col(f, p) for p in ["学生", "教职工"] for f in FIG]
    wanted = ["报告日期", "机构代码", "填报时间"] + numeric
    daily = pd.concat([pd.read_csv(f, dtype=str, usecols=wanted) for f in files(landing, date, "日报")], ignore_index=True)
    daily = daily[daily["报告日期"] == date].copy()
    daily["at"] = pd.to_datetime(daily["填报时间"], errors="coerce", format="%Y-%m-%d %H:%M:%S")
    for c in numeric:
        daily[c] = pd.to_numeric(daily[c], errors="coerce")
    daily = daily.dropna(subset=["at"]).sort_values("at").groupby("机构代码").tail(1).rename(columns={"机构代码": "code"})
    joined = reg.merge(daily, on="code", how="left")
    deadline = pd.Timestamp(f"{date} 12:00:00")
    rep = (len(reg), int(joined["at"].notna().sum()), int((joined["at"] <= deadline).sum()))
    valid = joined[joined["at"].notna()].copy()
    valid["g"] = valid["category"].map(group)
    by_group = {}
    for g, frame in valid.groupby("g"):
        s = frame[numeric].sum()
        by_group[g] = {"students": [int(s[col(f, "学生")]) for f in FIG], "staff": [int(s[col(f, "教职工")]) for f in FIG]}
    keep = ["机构代码", "摸排日期", "身份证号", "观察方式", "观察开始日期", "观察结束日期"]
    roster = pd.concat([pd.read_csv(f, dtype=str, usecols=keep) for f in files(landing, date, "花名册")], ignore_index=True)
    roster = roster[roster["摸排日期"] <= date]
    newest = roster.groupby("机构代码")["摸排日期"].transform("max")
    inforce = roster[(roster["摸排日期"] == newest) & roster["机构代码"].isin(reg["code"])]
    s = inforce["观察开始日期"].fillna("")
    e = inforce["观察结束日期"].fillna("")
    on = (s != "") & (s <= date) & ((e == "") | (e >= date))
    obs = (inforce["身份证号"].nunique(), inforce[on & (inforce["观察方式"] == "居家观察")]["身份证号"].nunique(),
           inforce[on & (inforce["观察方式"] == "集中观察")]["身份证号"].nunique())
    return rep, by_group, obs


def read_csv_one_file(path):
    """DuckDB reading one large CSV on one thread, the dialect given, every column typed as text and
    every value produced (what a reader must at least do): its parsing speed per core.

    Each column is counted (`count(col)` needs each value, at no cost beyond): `count(*)` alone lets
    DuckDB's projection pushdown skip producing the values, a row splitter rather than a reader
    (measured on this machine: 447 MB/s for `count(*)`, 288 MB/s counting every column, 172 MB/s
    `CREATE TABLE AS` into DuckDB's own storage)."""
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 1")
    names = header(path)
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    counts = ", ".join(f'count("{n}")' for n in names)
    start = time.perf_counter()
    con.execute(f"""SELECT count(*), {counts} FROM read_csv('{path}', auto_detect=false, header=true, delim=',',
                    quote='"', escape='"', columns={columns})""")
    rows = con.fetchone()[0]
    return time.perf_counter() - start, rows


def calamine(listing):
    """python-calamine (Rust) reading every sheet of each workbook into rows, on one thread."""
    from python_calamine import CalamineWorkbook
    with open(listing) as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    start = time.perf_counter()
    rows = 0
    for path in paths:
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            rows += len(book.get_sheet_by_name(name).to_python())
    return time.perf_counter() - start, rows


def landing_dates(landing, last):
    return sorted(d for d in os.listdir(landing) if d[:2] == "20" and d <= last)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--engine", choices=["duckdb", "pandas"])
    a.add_argument("--landing")
    a.add_argument("--date")
    a.add_argument("--every-date", action="store_true")
    a.add_argument("--read-csv")
    a.add_argument("--calamine")
    args = a.parse_args()
    # Best of three, as bulletin's own runs are measured.
    if args.read_csv or args.calamine:
        runs = [read_csv_one_file(args.read_csv) if args.read_csv else calamine(args.calamine) for _ in range(3)]
        seconds, rows = min(runs)
        print(json.dumps({"seconds": seconds, "rows": rows}))
        return
    # The import and the connection are outside the timing, as bulletin's own start-up is not timed in-process.
    engine = setup_duckdb() if args.engine == "duckdb" else setup_pandas()
    run = run_duckdb if args.engine == "duckdb" else run_pandas
    dates = landing_dates(args.landing, args.date) if args.every_date else [args.date]
    seconds = float("inf")
    for _ in range(1 if args.every_date else 3):   # every date: measured for its memory, once
        start = time.perf_counter()
        for d in dates:
            rep, by_group, obs = run(engine, args.landing, d)
        seconds = min(seconds, time.perf_counter() - start)
    print(json.dumps({"seconds": seconds, "expected": rep[0], "valid": rep[1], "on_time": rep[2],
                      "by_group": by_group, "persons": obs[0], "home": obs[1], "central": obs[2]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
