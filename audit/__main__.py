"""`make audit`: Lighthouse and axe-core on the demo site, served as production serves it.

1. builds a throwaway site under build/audit/ (SQLite, the demo content, collected static
   files) and serves it with gunicorn on a free loopback port (audit/settings.py);
2. runs Lighthouse 12.2.3 (tools/audit, mobile profile, Debian's headless chromium) on the
   home page, the case index and Xiao Fang's case: build/audit/lighthouse-*.report.{html,json};
3. runs axe-core (axe-playwright-python) on every public page, the donate flow and the editor's
   case form: build/audit/axe.json;
4. saves screenshots at 375 and 1280 px of home, index, a case and the donate flow:
   build/screens/.

Exits 1 when a Lighthouse category scores under 95 or axe finds a serious or critical
violation, so the goals hold like a test. Nothing here asks any other host for anything.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "audit"
SCREENS = ROOT / "build" / "screens"
PYTHON = sys.executable
LIGHTHOUSE = ROOT / "tools" / "audit" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOAL = 95
BLOCKING = {"serious", "critical"}
ADMIN = "audit-admin"
WIDTHS = [375, 1280]


def log(message):
    print(f"[audit] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(password):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "audit.settings",
        "DATABASE_URL": f"sqlite:///{OUT / 'db.sqlite3'}",
        "STATIC_ROOT": str(OUT / "static"),
        "MEDIA_ROOT": str(OUT / "media"),
        "DEMO_ADMIN_USERNAME": ADMIN,
        "DEMO_ADMIN_PASSWORD": password,
        "SIXDEGREE_PAGE_CACHE": "1",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def build_site(env):
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    log("building the demo site (migrate, load_demo_content, collectstatic)")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content", "--force")
    manage(env, "collectstatic", "--noinput")


def serve(env, port):
    logfile = open(OUT / "gunicorn.log", "w")
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "4",
            "sixdegree_site.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server, logfile
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start: see build/audit/gunicorn.log")


def lighthouse(base, pages):
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `make audit` (it installs tools/audit first).")
    scores = {}
    for name, path in pages.items():
        log(f"Lighthouse (mobile): {path}")
        subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                base + path,
                "--quiet",
                "--form-factor=mobile",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
                "--output=json",
                "--output=html",
                f"--output-path={OUT / f'lighthouse-{name}'}",
            ],
            cwd=ROOT,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
        )
        report = json.loads((OUT / f"lighthouse-{name}.report.json").read_text())
        scores[name] = {
            category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES
        }
        failing = [
            f"{audit['id']} ({audit['score']})"
            for audit in report["audits"].values()
            if audit.get("score") is not None
            and audit["score"] < 0.9
            and audit.get("scoreDisplayMode") == "binary"
        ]
        if failing:
            scores[name]["failing_audits"] = failing
    return scores


def blocking_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "nodes": [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]


def public_paths(base):
    """Every page of the sitemap (live and public), plus search and a missing page."""
    import re

    with urllib.request.urlopen(f"{base}/sitemap.xml", timeout=10) as response:  # noqa: S310
        xml = response.read().decode()
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", xml)]
    return [*paths, "/search/?query=sew", "/no-such-page/", "/donations/account/login/"]


def screenshot(page, name, width):
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=width == 1280)
    return str(path.relative_to(ROOT))


def browse(base, password):
    from playwright.sync_api import sync_playwright

    violations, screens, foreign = {}, [], set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 812 if width == 375 else 900})
            page = context.new_page()
            page.on(
                "request",
                lambda request: (
                    foreign.add(request.url) if not request.url.startswith((base, "data:", "blob:")) else None
                ),
            )

            def check(label, page=page, width=width):
                found = blocking_violations(page)
                if found:
                    violations[f"{label} @ {width}px"] = found

            for path in public_paths(base):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                check(path)
            for name, path in (("home", "/"), ("index", "/cases/"), ("case", "/cases/xiao-fang/")):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                screens.append(screenshot(page, name, width))

            # The donate flow: the case's Donate button, a mistake, then the dummy provider.
            page.goto(base + "/cases/xiao-fang/")
            page.locator("[data-donate-jump]").click()
            page.wait_for_timeout(300)
            screens.append(screenshot(page, "donate-form", width))
            page.get_by_label("Other amount").fill("3")
            page.get_by_label("Your e-mail address").fill("audit@example.org")
            page.get_by_role("button", name="Continue to payment").click()
            page.wait_for_load_state("networkidle")
            check("donate page with errors")
            screens.append(screenshot(page, "donate-errors", width))
            page.get_by_label("Other amount").fill("25")
            page.get_by_role("button", name="Continue to payment").click()
            page.wait_for_load_state("networkidle")
            check("payment (test mode)")
            screens.append(screenshot(page, "donate-pay", width))
            page.get_by_role("button", name="Pay", exact=True).click()
            page.wait_for_load_state("networkidle")
            check("thank-you page")
            screens.append(screenshot(page, "donate-thanks", width))

            if width == 1280:
                # The editor's case form, signed in as the demo's admin.
                page.goto(base + "/admin/login/")
                page.get_by_label("Username").fill(ADMIN)
                page.get_by_label("Password").fill(password)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state("networkidle")
                page.goto(base + "/admin/pages/search/?q=Xiao")
                edit = page.locator("a[href*='/admin/pages/'][href$='/edit/']").first
                edit.click()
                page.wait_for_load_state("networkidle")
                check("editor's case form")
                screens.append(screenshot(page, "editor-case-form", width))
            context.close()
        browser.close()
    return violations, screens, sorted(foreign)


def main():
    password = secrets.token_urlsafe(16)
    env = site_env(password)
    build_site(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server, logfile = serve(env, port)
    try:
        scores = lighthouse(base, {"home": "/", "index": "/cases/", "xiao-fang": "/cases/xiao-fang/"})
        violations, screens, foreign = browse(base, password)
    finally:
        server.terminate()
        server.wait(timeout=30)
        logfile.close()
    summary = {
        "lighthouse": scores,
        "axe_blocking": violations,
        "screens": screens,
        "foreign_requests": foreign,
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    (OUT / "axe.json").write_text(json.dumps(violations, indent=2))
    for name, figures in scores.items():
        log(f"Lighthouse {name}: " + ", ".join(f"{c} {figures[c]}" for c in CATEGORIES))
    log(f"axe: {sum(len(v) for v in violations.values())} serious or critical violations")
    for label, found in violations.items():
        log(f"  {label}: " + "; ".join(f"{v['id']} ({v['impact']}) {v['nodes']}" for v in found))
    log(f"screenshots: {len(screens)} under build/screens/; requests to other hosts: {len(foreign)}")
    below = [f"{name} {c}" for name, figures in scores.items() for c in CATEGORIES if figures[c] < GOAL]
    if below or violations or foreign:
        log("goals not met: " + ", ".join(below + list(violations) + foreign))
        return 1
    log("goals met: every Lighthouse category >= 95, no serious or critical axe violation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
