#!/usr/bin/env python3
"""html_check.py - checks the HTML page of `perfreg history --format html`.

Usage: html_check.py FILE EXPECTED_CHARTS

1. Statically: no <script>, nothing fetched from anywhere (no http:, https:
   or protocol-relative // URL in src/href-like attributes, styles or
   <link>/<iframe>/<object>/<embed>), and exactly EXPECTED_CHARTS
   <svg class="perfreg-chart"> elements.
2. In headless Chromium (`chromium`, `chromium-browser` or `google-chrome` on PATH, or
   $CHROMIUM), with no network needed: the DOM it builds holds
   EXPECTED_CHARTS charts, each with a non-empty polyline of values (or,
   for a benchmark never measured, its "no-data" note), and a screenshot of
   the page is a real picture: a PNG that decodes, is not blank, and shows
   the colour the values are drawn in.

Prints what it checked. Exit status: 0 all checks passed, 1 a check failed,
2 usage, 77 Chromium is not installed (ctest's SKIP_RETURN_CODE).
Standard library only.
"""

import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77
WINDOW = (1200, 3000)
LINE_RGB = (0x09, 0x69, 0xDA)  # .perfreg-chart .line in report.c's style sheet
URL_ATTRS = {"src", "href", "xlink:href", "action", "formaction", "poster", "data",
             "srcset", "background", "cite", "ping", "manifest", "codebase", "longdesc"}
FETCHING_TAGS = {"script", "link", "iframe", "frame", "object", "embed", "img", "image",
                 "audio", "video", "source", "track", "base", "use", "feimage"}
EXTERNAL = re.compile(r"(?i)(^|[\s,(\"'])(https?:|ftp:|file:|//)")
CSS_EXTERNAL = re.compile(r"(?i)(@import|url\s*\(\s*['\"]?\s*(https?:|//|ftp:|file:))")


class Failure(Exception):
    pass


class PageParser(html.parser.HTMLParser):
    """Collects the charts (their polylines and no-data notes) and every
    reference to something outside the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts = []  # per chart: {"name", "polylines": [points], "no_data": bool}
        self.svg_depth = 0  # depth inside the current chart's <svg>
        self.problems = []
        self.in_style = False
        self.styles = []
        self.title = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs, closes=False)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs, closes=True)

    def _element(self, tag, attrs, closes):
        attrs = dict((k.lower(), v or "") for k, v in attrs)
        tag = tag.lower()
        if tag == "script":
            self.problems.append("a <script> element")
        elif tag in FETCHING_TAGS and any(a in attrs for a in URL_ATTRS):
            self.problems.append("<%s> that loads %r" % (tag, next(
                attrs[a] for a in URL_ATTRS if a in attrs)))
        for name, value in attrs.items():
            if name in URL_ATTRS and EXTERNAL.search(value):
                self.problems.append("%s=%r on <%s>" % (name, value, tag))
            elif name == "style" and CSS_EXTERNAL.search(value):
                self.problems.append("style=%r on <%s>" % (value, tag))
            elif name.startswith("on"):
                self.problems.append("event handler %s on <%s>" % (name, tag))
            elif re.search(r"(?i)https?://", value):
                self.problems.append("a URL in %s=%r on <%s>" % (name, value, tag))
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "style":
            self.in_style = not closes
        if tag == "title" and self.svg_depth == 0 and self.title is None:
            self._in_title = not closes
            self.title = ""
        if tag == "svg":
            if self.svg_depth > 0:
                self.svg_depth += 0 if closes else 1
            elif "perfreg-chart" in attrs.get("class", "").split():
                self.charts.append({"name": attrs.get("data-benchmark"),
                                    "viewbox": attrs.get("viewbox"),
                                    "polylines": [], "no_data": False})
                self.svg_depth = 0 if closes else 1
            return
        if self.svg_depth > 0 and self.charts:
            classes = attrs.get("class", "").split()
            if tag == "polyline" and "line" in classes:
                self.charts[-1]["polylines"].append(attrs.get("points", "").strip())
            if tag == "text" and "no-data" in classes:
                self.charts[-1]["no_data"] = True

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag == "style":
            self.in_style = False
        if tag == "title":
            self._in_title = False
        if tag == "svg" and self.svg_depth > 0:
            self.svg_depth -= 1

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)
        if self._in_title:
            self.title += data


def parse(text):
    parser = PageParser()
    parser.feed(text)
    parser.close()
    for css in parser.styles:
        if CSS_EXTERNAL.search(css):
            parser.problems.append("a style sheet that imports or loads a URL")
    return parser


def check_charts(parser, expected, where):
    """Every chart has a polyline of numbers inside its viewBox, or says it
    has no data."""
    if len(parser.charts) != expected:
        raise Failure("%s: %d <svg class=\"perfreg-chart\"> elements, expected %d"
                      % (where, len(parser.charts), expected))
    drawn = 0
    for chart in parser.charts:
        name = chart["name"]
        if not name:
            raise Failure("%s: a chart without data-benchmark" % where)
        if not chart["viewbox"]:
            raise Failure("%s: chart %r has no viewBox" % (where, name))
        box = [float(v) for v in chart["viewbox"].replace(",", " ").split()]
        lines = [p for p in chart["polylines"] if p]
        if not lines:
            if chart["no_data"]:
                continue
            raise Failure("%s: chart %r has no polyline of values" % (where, name))
        for points in lines:
            for pair in points.split():
                x, y = (float(v) for v in pair.split(","))
                if not (box[0] <= x <= box[0] + box[2] and box[1] <= y <= box[1] + box[3]):
                    raise Failure("%s: chart %r draws %s outside its viewBox"
                                  % (where, name, pair))
        drawn += 1
    return drawn


# ---- PNG ----

def png_pixels(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure("the screenshot is not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if not header:
        raise Failure("the screenshot has no PNG header")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise Failure("the screenshot is a PNG this check cannot decode "
                      "(depth %d, colour type %d)" % (depth, colour))
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        previous = line
    return width, height, channels, rows


def check_screenshot(path, expect_line):
    if not os.path.exists(path):
        raise Failure("Chromium wrote no screenshot")
    data = open(path, "rb").read()
    if len(data) < 5000:
        raise Failure("the screenshot is only %d bytes: a blank page" % len(data))
    width, height, channels, rows = png_pixels(data)
    colours, ink, line_pixels, total = set(), 0, 0, 0
    for row in rows[::2]:  # every other row and column is plenty
        for i in range(0, len(row), channels * 2):
            r, g, b = row[i], row[i + 1], row[i + 2]
            colours.add((r, g, b))
            total += 1
            if r + g + b < 3 * 235:
                ink += 1
            if abs(r - LINE_RGB[0]) + abs(g - LINE_RGB[1]) + abs(b - LINE_RGB[2]) < 60:
                line_pixels += 1
    if len(colours) < 8 or ink * 1000 < total:
        raise Failure("the screenshot is blank: %d colours, %d of %d pixels inked"
                      % (len(colours), ink, total))
    if expect_line and line_pixels < 20:
        raise Failure("the screenshot shows no chart line (%d pixels of its colour)"
                      % line_pixels)
    return "%dx%d, %d bytes, %d colours, %.1f%% inked, %d pixels of the line colour" % (
        width, height, len(data), len(colours), 100.0 * ink / total, line_pixels)


# ---- Chromium ----

def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def run_chromium(chromium, profile, extra, url):
    args = [chromium, "--headless", "--disable-gpu", "--no-sandbox",
            "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars"] + extra + [url]
    try:
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=180)
    except subprocess.TimeoutExpired:
        raise Failure("Chromium did not finish within 180 s: %s" % " ".join(args))
    if proc.returncode != 0:
        raise Failure("Chromium exited with %d:\n%s" % (
            proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:]))
    return proc.stdout.decode("utf-8", "replace")


def main(argv):
    if len(argv) != 3 or not argv[2].isdigit():
        print("usage: html_check.py FILE EXPECTED_CHARTS", file=sys.stderr)
        return 2
    path, expected = os.path.abspath(argv[1]), int(argv[2])
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as e:
        print("FAIL: cannot read '%s': %s" % (path, e))
        return 1
    try:
        if re.search(r"(?i)<script", text):
            raise Failure("the page contains <script")
        page = parse(text)
        if page.problems:
            raise Failure("the page would fetch or run something: " + "; ".join(page.problems))
        drawn = check_charts(page, expected, "file")
        print("ok static: %s: no <script>, no external URL, %d perfreg-chart svg elements "
              "(%d with a polyline)" % (argv[1], len(page.charts), drawn))

        chromium = find_chromium()
        if not chromium:
            print("chromium not found: skipping the browser check")
            return SKIP
        url = "file://" + path
        with tempfile.TemporaryDirectory(prefix="perfreg-html-check-") as tmp:
            dom = run_chromium(chromium, os.path.join(tmp, "dom-profile"), ["--dump-dom"], url)
            rendered = parse(dom)
            if not rendered.title:
                raise Failure("Chromium's DOM has no <title>: the page did not load\n" + dom[:500])
            drawn = check_charts(rendered, expected, "Chromium DOM")
            print("ok browser: %s rendered %r: %d charts in the DOM, %d with a non-empty "
                  "polyline" % (os.path.basename(chromium), rendered.title, len(rendered.charts),
                                drawn))
            shot = os.path.join(tmp, "page.png")
            run_chromium(chromium, os.path.join(tmp, "shot-profile"),
                         ["--screenshot=" + shot, "--window-size=%d,%d" % WINDOW], url)
            summary = check_screenshot(shot, drawn > 0)
            keep = os.environ.get("HTML_CHECK_SCREENSHOT")
            if keep:
                shutil.copyfile(shot, keep)
                summary += ", kept as " + keep
            print("ok screenshot: " + summary)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
