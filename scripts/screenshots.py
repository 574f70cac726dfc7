#!/usr/bin/env python3
"""Screenshots of every console page of a running demo hub, through headless Chromium's DevTools
protocol: log in as each demo user (the console's own login form, via HTTP), hand the session
cookies to the browser, load each page, save a PNG. Used by scripts/screenshots.sh; dev tooling,
not part of mashlink."""
import base64, http.client, json, re, subprocess, sys, time, urllib.parse, urllib.request
import websocket  # websocket-client

base, users_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
host = urllib.parse.urlparse(base).netloc
users = {}
for line in open(users_file):
    name, role, password = line.rstrip("\n").split("\t")
    users[role] = (name, password)

def login(role):
    name, password = users[role]
    c = http.client.HTTPConnection(host)
    c.request("POST", "/console/login", urllib.parse.urlencode({"name": name, "password": password}),
              {"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    assert r.status == 303, f"login as {role}: {r.status}"
    cookies = []
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            n, val = v.split(";")[0].split("=", 1)
            cookies.append({"name": n, "value": val, "url": base})
    return cookies

def get(path, cookies):
    c = http.client.HTTPConnection(host)
    c.request("GET", path, headers={"Cookie": "; ".join(f"{k['name']}={k['value']}" for k in cookies)})
    return c.getresponse().read().decode()

chrome = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=9333",
                           "--user-data-dir=/tmp/mashlink-screens-profile", "--window-size=1280,1000", "about:blank"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            targets = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
            page = next(t for t in targets if t["type"] == "page")
            break
        except Exception:
            time.sleep(0.2)
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
    counter = [0]
    def cdp(method, **params):
        counter[0] += 1
        ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("id") == counter[0]:
                if "error" in msg: raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
    cdp("Page.enable"); cdp("Network.enable")
    cdp("Emulation.setDeviceMetricsOverride", width=1280, height=1000, deviceScaleFactor=1, mobile=False)

    def shot(name, path, cookies):
        cdp("Network.clearBrowserCookies")
        for c in cookies: cdp("Network.setCookie", **c)
        cdp("Page.navigate", url=base + path)
        time.sleep(1.0)
        metrics = cdp("Page.getLayoutMetrics")
        height = min(int(metrics["cssContentSize"]["height"]) + 20, 4000)
        data = cdp("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                   clip={"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1})["data"]
        open(f"{out}/{name}.png", "wb").write(base64.b64decode(data))
        print(f"{out}/{name}.png  {path}")

    shot("login", "/console/login", [])
    manager, practitioner = login("manager"), login("practitioner")
    ids = re.findall(r'href="/console/referrals/([0-9a-f-]{36})"', get("/console", manager))
    assert ids, "the demo left no referral"
    shot("manager-referrals", "/console", manager)
    shot("practitioner-referrals", "/console", practitioner)
    shot("referral-released", f"/console/referrals/{ids[0]}", practitioner)
    if len(ids) > 1: shot("referral-to-assign", f"/console/referrals/{ids[-1]}", manager)
    shot("released-information", f"/console/referrals/{ids[0]}/released", practitioner)
    shot("operations", "/console/operations", login("operator"))
    shot("dpo-log", "/console/log", login("dpo"))
finally:
    chrome.terminate()
