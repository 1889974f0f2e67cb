"""The admin and account screens in real Chromium against a real ``immich-server``: a system
setting changed in the editor shows on the login page and resets to its default, a refused value
shows the server's message; a user created on the users page logs in, changes her password, is
edited, deleted with Immich's delay and restored; an API key made in the account settings
authenticates a plain request; a PIN code, a preference and a profile picture are set; "log out
all other devices" ends the other sessions; the jobs page pauses, resumes and starts a queue and
saves its concurrency; the server stats list every user. Screenshots go to
test-artifacts/screenshots/ (admin-*.png)."""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN, SHARED
from tests.test_process import Server

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PORT = int(os.environ.get("IMMICH_WEB_ADMIN_TEST_PORT", "23008"))
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PORTRAIT = SHARED / "testdata" / "immich-test-assets" / "metadata" / "faces" / "portrait.jpg"
TIMEOUT = 15_000  # ms for any one UI expectation

playwright.expect.set_options(timeout=TIMEOUT)
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"
)


@pytest.fixture(scope="module")
def server(pg_server: Any) -> Iterator[Server]:
    """One immich-server on a fresh database, its admin signed up through the API."""
    from immich.db.engine import _ensure_database, _with_database

    _, admin_url = pg_server
    asyncio.run(_ensure_database(admin_url, "immich_web_admin"))
    folder = Path(tempfile.mkdtemp(prefix="immich-web-admin-"))
    env = {
        "DB_URL": _with_database(admin_url, "immich_web_admin"),
        "IMMICH_MEDIA_LOCATION": str(folder / "media"),
        "IMMICH_PORT": str(PORT),
        "IMMICH_PLUGINS_SKIP": "example",
        "IMMICH_ROLES": "api",
    }
    srv = Server(env, folder)
    try:
        srv.wait_ready()
        r = httpx.post(f"{srv.url}/api/auth/admin-sign-up", json=ADMIN, timeout=10)
        assert r.status_code == 201, r.text
        yield srv
    finally:
        srv.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    """Chromium (after the server: playwright's loop would refuse the server's asyncio.run)."""
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@functools.cache
def admin_token(server: Server) -> str:
    """The admin's bearer token, one session for the module (until a test logs it out)."""
    creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
    r = httpx.post(f"{server.url}/api/auth/login", json=creds, timeout=10)
    return str(r.json()["accessToken"])


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh context logged in as the admin (the login sets the session cookie)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    context.set_default_timeout(TIMEOUT)
    r = context.request.post(
        "/api/auth/login", data={"email": ADMIN["email"], "password": ADMIN["password"]}
    )
    assert r.ok, r.text()
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
    assert not errors, errors


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-{name}.png"), full_page=True)


def api(server: Server, method: str, path: str, **kw: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {admin_token(server)}"}
    return httpx.request(method, f"{server.url}/api{path}", headers=headers, timeout=10, **kw)


def test_a_system_setting_is_applied_refused_and_reset(page: Any, server: Server) -> None:
    expect = playwright.expect
    page.goto("/admin/system-settings?section=server")
    section = page.locator("#section-server")
    expect(section).to_have_attribute("open", "")
    message = section.locator("#cfg-server-loginPageMessage")
    message.fill("Welcome to the family archive")
    section.get_by_role("button", name="Save").click()
    expect(section.locator(".cfg-status")).to_have_text("Saved")
    shot(page, "settings")
    assert api(server, "GET", "/system-config").json()["server"]["loginPageMessage"] == (
        "Welcome to the family archive"
    )

    # a value the server refuses: its message, next to the field
    trash = page.locator("#section-trash")
    trash.locator("summary").click()
    trash.locator("#cfg-trash-days").fill("-1")
    trash.get_by_role("button", name="Save").click()
    expect(trash.locator(".cfg-banner")).to_contain_text("Validation failed")
    expect(trash.locator('[data-path="trash.days"] .cfg-error')).to_contain_text(">=0")
    trash.scroll_into_view_if_needed()
    shot(page, "settings-refused")
    assert api(server, "GET", "/system-config").json()["trash"]["days"] == 30

    # applied: logged out, the login page shows the message
    page.locator("#account").click()
    page.locator("#logout").click()
    expect(page.locator("#login-message")).to_have_text("Welcome to the family archive")

    # reset to default: log in through the form, fill the defaults, save
    page.locator("#login-form input[name=email]").fill(ADMIN["email"])
    page.locator("#login-form input[name=password]").fill(ADMIN["password"])
    page.locator("#login-form button[type=submit]").click()
    expect(page).to_have_url(f"{server.url}/photos")
    page.goto("/admin/system-settings?section=server")
    section = page.locator("#section-server")
    expect(section.locator("#cfg-server-loginPageMessage")).to_have_value(
        "Welcome to the family archive"
    )
    section.get_by_role("button", name="Reset to default").click()
    expect(section.locator("#cfg-server-loginPageMessage")).to_have_value("")
    section.get_by_role("button", name="Save").click()
    expect(section.locator(".cfg-status")).to_have_text("Saved")
    assert api(server, "GET", "/system-config").json()["server"]["loginPageMessage"] == ""

    # the storage template offers Immich's presets
    page.goto("/admin/system-settings?section=storageTemplate")
    presets = page.locator("#storage-template-presets option")
    expect(presets.first).to_be_attached()
    assert presets.count() > 3

    # the phone layout of the editor
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/system-settings?section=image")
    expect(page.locator("#section-image")).to_have_attribute("open", "")
    page.screenshot(path=str(SHOTS / "admin-settings-phone.png"))


def test_a_user_created_on_the_users_page_logs_in_and_is_deleted_and_restored(
    page: Any, browser: Any, server: Server
) -> None:
    expect = playwright.expect
    page.goto("/admin/users")
    page.locator("#create-user").click()
    form = page.locator("#create-user-form")
    form.locator("input[name=email]").fill("grandma@example.com")
    form.locator("input[name=password]").fill("knitting-1952")
    form.locator("input[name=name]").fill("Grandma")
    form.locator("input[name=quota]").fill("5")
    form.locator("input[name=shouldChangePassword]").uncheck()
    form.get_by_role("button", name="Create").click()
    row = page.locator('tr[data-email="grandma@example.com"]')
    expect(row).to_contain_text("of 5.0 GB")
    made = next(
        u for u in api(server, "GET", "/admin/users").json() if u["email"] == "grandma@example.com"
    )
    assert made["quotaSizeInBytes"] == 5 * 1024**3
    shot(page, "users")

    # the new user logs in through the login page in another context
    other = browser.new_context(base_url=server.url)
    other.set_default_timeout(TIMEOUT)
    theirs = other.new_page()
    theirs.goto("/auth/login")
    theirs.locator("#login-form input[name=email]").fill("grandma@example.com")
    theirs.locator("#login-form input[name=password]").fill("knitting-1952")
    theirs.locator("#login-form button[type=submit]").click()
    expect(theirs).to_have_url(f"{server.url}/photos")
    expect(theirs.locator("#account")).to_have_attribute("title", "grandma@example.com")
    # ... and changes her password in her account settings
    theirs.goto("/user-settings?section=password")
    pw = theirs.locator("#password-form")
    pw.locator("input[name=password]").fill("knitting-1952")
    pw.locator("input[name=newPassword]").fill("crochet-2026")
    pw.locator("input[name=confirm]").fill("crochet-2026")
    pw.get_by_role("button", name="Change password").click()
    expect(theirs.locator(".toast", has_text="Password changed")).to_be_visible()
    creds = {"email": "grandma@example.com", "password": "crochet-2026"}
    assert httpx.post(f"{server.url}/api/auth/login", json=creds).status_code == 201
    other.close()

    # edit: name and quota
    row.get_by_role("button", name="Edit grandma@example.com").click()
    edit = page.locator("#edit-user-form")
    edit.locator("input[name=name]").fill("Granny")
    edit.locator("input[name=quota]").fill("")
    edit.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("Granny")
    expect(row).to_contain_text("of unlimited")

    # delete with Immich's delay (not forced): pending, then restored
    row.get_by_role("button", name="Delete grandma@example.com").click()
    page.locator("#delete-user-form").get_by_role("button", name="Delete").click()
    expect(row).to_have_attribute("data-status", "deleted")
    expect(row).to_contain_text("removed after")
    row.get_by_role("button", name="Restore").click()
    expect(row).to_have_attribute("data-status", "active")
    assert api(server, "GET", f"/admin/users/{made['id']}").json()["status"] == "active"

    # forced: queued for removal at once, no restore
    cousin = {"email": "cousin@example.com", "password": "pw-cousin", "name": "Cousin"}
    assert api(server, "POST", "/admin/users", json=cousin).status_code == 201
    page.reload()
    row = page.locator('tr[data-email="cousin@example.com"]')
    row.get_by_role("button", name="Delete cousin@example.com").click()
    page.locator("#delete-user-form input[name=force]").check()
    page.locator("#delete-user-form").get_by_role("button", name="Delete").click()
    expect(row).to_have_attribute("data-status", "removing")
    expect(row.get_by_role("button", name="Restore")).to_have_count(0)


def test_an_api_key_made_in_account_settings_works_and_a_pin_is_set(
    page: Any, server: Server
) -> None:
    expect = playwright.expect
    admin_token(server)  # other sessions, for the devices section below
    creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
    assert httpx.post(f"{server.url}/api/auth/login", json=creds).status_code == 201
    page.goto("/user-settings?section=api-keys")
    page.locator("#new-api-key").click()
    dialog = page.locator("dialog.modal")
    dialog.locator("input").fill("backup script")
    dialog.get_by_role("button", name="OK").click()
    secret = page.locator("#api-key-secret")
    expect(secret).to_be_visible()
    key = secret.input_value()
    page.locator("#api-key-done").click()
    expect(page.locator("#section-api-keys td.key-name")).to_have_text("backup script")

    r = httpx.get(f"{server.url}/api/users/me", headers={"x-api-key": key}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["email"] == ADMIN["email"]

    # renamed, then deleted: the key stops working
    page.get_by_role("button", name="Rename backup script").click()
    page.locator("dialog.modal input").fill("nightly backup")
    page.locator("dialog.modal").get_by_role("button", name="OK").click()
    expect(page.locator("#section-api-keys td.key-name")).to_have_text("nightly backup")
    page.get_by_role("button", name="Delete nightly backup").click()
    page.locator("dialog.modal").get_by_role("button", name="Delete").click()
    expect(page.locator("#section-api-keys td.key-name")).to_have_count(0)
    r = httpx.get(f"{server.url}/api/users/me", headers={"x-api-key": key}, timeout=10)
    assert r.status_code == 401

    page.locator("#section-pin > summary").click()
    setup = page.locator("#pin-setup-form")
    setup.locator("input[name=pinCode]").fill("123456")
    setup.locator("input[name=confirmPin]").fill("123456")
    setup.get_by_role("button", name="Set PIN code").click()
    expect(page.locator("#pin-change-form")).to_be_visible()
    assert api(server, "GET", "/auth/status").json()["pinCode"] is True
    change = page.locator("#pin-change-form")
    change.locator("input[name=pinCode]").fill("123456")
    change.locator("input[name=newPinCode]").fill("654321")
    change.get_by_role("button", name="Change PIN code").click()
    expect(page.locator(".toast", has_text="PIN code changed")).to_be_visible()
    wrong = page.locator("#pin-change-form")
    wrong.locator("input[name=pinCode]").fill(
        "123456"
    )  # the old one: refused, with Immich's message
    wrong.locator("input[name=newPinCode]").fill("111111")
    wrong.get_by_role("button", name="Change PIN code").click()
    expect(wrong.locator(".form-error")).to_be_visible()
    reset = page.locator("#pin-reset-form")
    reset.locator("input[name=password]").fill(ADMIN["password"])
    reset.get_by_role("button", name="Reset PIN code").click()
    expect(page.locator("#pin-setup-form")).to_be_visible()
    assert api(server, "GET", "/auth/status").json()["pinCode"] is False
    # preferences: a switch saved through PUT /users/me/preferences
    page.locator("#section-preferences > summary").click()
    page.locator("#cfg-tags-enabled").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator(".toast", has_text="Preferences saved")).to_be_visible()
    assert api(server, "GET", "/users/me/preferences").json()["tags"]["enabled"] is True

    # a profile picture: uploaded, shown, removed
    page.locator("#section-profile > summary").click()
    page.locator("#profile-file").set_input_files(str(PORTRAIT))
    picture = page.locator(".profile-picture img")
    expect(picture).to_be_visible()
    page.wait_for_function("document.querySelector('.profile-picture img').naturalWidth > 0")
    assert api(server, "GET", "/users/me").json()["profileImagePath"]
    page.locator("#profile-remove").click()
    expect(page.locator(".profile-initials")).to_be_visible()
    assert api(server, "GET", "/users/me").json()["profileImagePath"] == ""

    page.locator("#section-devices > summary").click()
    expect(page.locator('#section-devices li.device[data-current="true"]')).to_have_count(1)
    shot(page, "user-settings")

    # log out one device, then every other one: the API token's session ends, this page's stays
    devices = page.locator("#section-devices li.device")
    before = devices.count()
    assert before >= 3
    devices.get_by_role("button", name="Log out this device").last.click()
    expect(devices).to_have_count(before - 1)
    old = admin_token(server)
    page.locator("#logout-others").click()
    page.locator("dialog.modal").get_by_role("button", name="Log out all").click()
    expect(page.locator("#section-devices li.device")).to_have_count(1)
    admin_token.cache_clear()
    gone = httpx.get(f"{server.url}/api/users/me", headers={"Authorization": f"Bearer {old}"})
    assert gone.status_code == 401
    page.reload()
    expect(page.locator("h1")).to_have_text("Account settings")


def test_the_jobs_page_shows_every_queue_and_pauses_one(page: Any, server: Server) -> None:
    expect = playwright.expect
    queues = api(server, "GET", "/jobs").json()
    page.goto("/admin/jobs-status")
    expect(page.locator("article.job-tile")).to_have_count(len(queues))
    tile = page.locator("#job-thumbnailGeneration")
    expect(tile.locator(".job-badge")).to_have_text("Idle")
    tile.get_by_role("button", name="Pause").click()
    expect(tile.locator(".job-badge")).to_have_text("Paused")
    expect(tile.get_by_role("button", name="Resume")).to_be_visible()
    assert api(server, "GET", "/jobs").json()["thumbnailGeneration"]["queueStatus"]["isPaused"]
    shot(page, "jobs")
    tile.get_by_role("button", name="Resume").click()
    expect(tile.locator(".job-badge")).not_to_have_text("Paused")
    assert not api(server, "GET", "/jobs").json()["thumbnailGeneration"]["queueStatus"]["isPaused"]

    # "All" on a queue with a start job enqueues it (the poll shows the counts move or the
    # queue stay idle once done); a queue's concurrency saves into the system config
    tile.get_by_role("button", name="All").click()
    expect(page.locator(".toast", has_text="Generate thumbnails: All")).to_be_visible()
    concurrency = page.locator("input[name=concurrency-metadataExtraction]")
    concurrency.fill("2")
    concurrency.press("Enter")
    expect(page.locator(".toast", has_text="concurrency 2")).to_be_visible()
    assert (
        api(server, "GET", "/system-config").json()["job"]["metadataExtraction"]["concurrency"] == 2
    )
    expect(page.locator(".jobs-updated")).to_contain_text("Updated")

    # a manual job
    page.locator("#create-job").click()
    page.locator("dialog.modal select[name=job]").select_option("tag-cleanup")
    page.locator("dialog.modal").get_by_role("button", name="Create").click()
    expect(page.locator(".toast", has_text="Job created")).to_be_visible()

    # server stats: the counts and the per-user table
    page.goto("/admin/server-status")
    expect(page.locator(".stat").first).to_contain_text("Photos")
    expect(page.locator("table.data tbody tr")).to_have_count(
        len(api(server, "GET", "/admin/users").json())
    )
    shot(page, "server")
