"""Headless Chromium driven in real time over its DevTools protocol, on a pipe (for
tests/test_playground.py and the playground's screenshots, tools/playground.py).

``--dump-dom`` prints the page once its load event has passed, in virtual time: a page
that works in a Web Worker (the playground) has not answered by then.  Here the test
asks the page, over ``--remote-debugging-pipe`` (JSON messages ending in a NUL byte on
file descriptors 3 and 4; no websocket, no package), for a JavaScript expression until
it is a non-empty string, in real time.
"""
import base64
import json
import os
import subprocess
import time


def wait_for_text(chromium, url, expression, profile, timeout=120.0, poll=0.25, screenshot=None, then=None):
    """The first non-empty string that expression gives in the page at url, polled every
    poll seconds; raises AssertionError after timeout seconds, with the last value.
    then: a JavaScript expression run once the text is there (a click, say), and
    screenshot: a path to write a PNG of the page to, after it."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    def give_pipes():  # in the child: its fd 3 reads our commands, its fd 4 writes answers
        os.dup2(to_browser_r, 3)
        os.dup2(from_browser_w, 4)

    browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update",
                                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-pipe",
                                "--window-size=1200,1100", "--hide-scrollbars", url],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=give_pipes, pass_fds=(3, 4))
    os.close(to_browser_r)
    os.close(from_browser_w)
    state = {"id": 0, "buffer": b""}

    def call(method, params=None, session=None):
        state["id"] += 1
        message = {"id": state["id"], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(to_browser_w, json.dumps(message).encode("utf-8") + b"\0")
        while True:  # events come in between: skip to our answer
            while b"\0" not in state["buffer"]:
                chunk = os.read(from_browser_r, 1 << 16)
                assert chunk, "Chromium closed the DevTools pipe"
                state["buffer"] += chunk
            text, state["buffer"] = state["buffer"].split(b"\0", 1)
            answer = json.loads(text.decode("utf-8"))
            if answer.get("id") == state["id"]:
                assert "error" not in answer, (method, answer["error"])
                return answer["result"]

    try:
        deadline = time.time() + timeout
        page = None
        while page is None and time.time() < deadline:
            pages = [t for t in call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            page = pages[0]["targetId"] if pages else None
            time.sleep(0 if page else poll)
        assert page is not None, "Chromium opened no page"
        session = call("Target.attachToTarget", {"targetId": page, "flatten": True})["sessionId"]
        value = None
        while time.time() < deadline:
            found = call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
            value = found["result"].get("value")
            if isinstance(value, str) and value:
                if then:
                    call("Runtime.evaluate", {"expression": then}, session)
                    time.sleep(0.5)
                if screenshot:
                    png = call("Page.captureScreenshot", {"format": "png"}, session)["data"]
                    with open(screenshot, "wb") as f:
                        f.write(base64.b64decode(png))
                return value
            time.sleep(poll)
        raise AssertionError("after %.0f s, %s is %r" % (timeout, expression, value))
    finally:
        browser.kill()
        browser.wait()
        os.close(to_browser_w)
        os.close(from_browser_r)
