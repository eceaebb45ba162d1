"""Pictures of training as SVG, standard library only: learning curves and decision regions.

``training_svg`` gives one SVG document: the loss per epoch and the accuracy (or
RMSE) per epoch, training and held-out, and, for data with two features, the
decision regions of the trained network with the samples on top.  Plain SVG 1.1
that any browser opens.
"""
import math

from ..core.network import predicted_class

PANEL_WIDTH, PANEL_HEIGHT = 420, 320
MARGIN = {"left": 64, "right": 16, "top": 36, "bottom": 48}
TRAIN_COLOR, VALIDATION_COLOR, HELD_OUT_COLOR = "#1f77b4", "#2ca02c", "#d62728"
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf"]
GRID = 60  # cells per side of the decision-region picture


def escape(text):
    """text for SVG (XML): &, <, >, " as entities, and the control characters XML 1.0
    cannot hold at all as U+FFFD, the replacement character."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return "".join("\ufffd" if (ord(c) < 32 and c not in "\t\n\r") or c in "\ufffe\uffff" else c
                   for c in text)


def ticks(low, high, count=5):
    """About count round numbers spanning [low, high]."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if step * factor >= raw:
            step *= factor
            break
    first = math.ceil(low / step) * step
    return [first + k * step for k in range(int((high - first) / step + 1e-9) + 1)]


def label(v):
    return "%g" % round(v, 10)


class Frame:
    """A plot area at (x0, y0) mapping data coordinates to SVG pixels."""

    def __init__(self, x0, y0, xs, ys):
        self.left, self.top = x0 + MARGIN["left"], y0 + MARGIN["top"]
        self.width = PANEL_WIDTH - MARGIN["left"] - MARGIN["right"]
        self.height = PANEL_HEIGHT - MARGIN["top"] - MARGIN["bottom"]
        self.x_low, self.x_high = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1.0
        self.y_low, self.y_high = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1.0

    def px(self, x):
        return self.left + (x - self.x_low) / (self.x_high - self.x_low) * self.width

    def py(self, y):
        return self.top + (1.0 - (y - self.y_low) / (self.y_high - self.y_low)) * self.height

    def axes(self, title, x_label, y_label):
        """The frame, tick marks with numbers, axis labels and the title."""
        out = ['<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#333"/>'
               % (self.left, self.top, self.width, self.height)]
        for x in ticks(self.x_low, self.x_high):
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>'
                       % (self.px(x), self.top + self.height, self.px(x), self.top + self.height + 5))
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>'
                       % (self.px(x), self.top + self.height + 18, label(x)))
        for y in ticks(self.y_low, self.y_high):
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>'
                       % (self.left - 5, self.py(y), self.left, self.py(y)))
            out.append('<text x="%.1f" y="%.1f" text-anchor="end">%s</text>'
                       % (self.left - 8, self.py(y) + 4, label(y)))
        out.append('<text class="title" x="%.1f" y="%.1f" text-anchor="middle">%s</text>'
                   % (self.left + self.width / 2, self.top - 14, escape(title)))
        out.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>'
                   % (self.left + self.width / 2, self.top + self.height + 38, escape(x_label)))
        out.append('<text x="%.1f" y="%.1f" text-anchor="middle" transform="rotate(-90 %.1f %.1f)">%s</text>'
                   % (self.left - 48, self.top + self.height / 2, self.left - 48,
                      self.top + self.height / 2, escape(y_label)))
        return out


def line_chart(x0, y0, title, y_label, series, y_range=None, kept=None):
    """A panel of lines over epochs 1..n: series is a list of (name, color, values).
    The y axis spans y_range, or 0 to the largest value; kept, an epoch, is marked
    with a dashed vertical line (the epoch whose weights were kept)."""
    series = [(name, color, values) for name, color, values in series
              if values and all(v is not None for v in values)]
    epochs = list(range(1, len(series[0][2]) + 1))
    ys = [v for _, _, values in series for v in values]
    frame = Frame(x0, y0, epochs if len(epochs) > 1 else [1, 2], y_range or [min(0.0, min(ys)), max(ys)])
    legend_top = frame.top + frame.height - 16 * len(series) - 4 if y_range else frame.top + 16
    out = frame.axes(title, "epoch", y_label)
    if kept is not None:
        out.append('<line class="kept" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#555" '
                   'stroke-dasharray="4,3"/>' % (frame.px(kept), frame.top, frame.px(kept), frame.top + frame.height))
        # the label away from the legend: at the other end of the line, on the side with room
        label_y = frame.top + 12 if y_range else frame.top + frame.height - 6
        right = frame.px(kept) + 100 > frame.left + frame.width
        out.append('<text x="%.1f" y="%.1f" fill="#555" text-anchor="%s">kept: epoch %d</text>'
                   % (frame.px(kept) + (-4 if right else 4), label_y, "end" if right else "start", kept))
    for k, (name, color, values) in enumerate(series):
        points = " ".join("%.1f,%.1f" % (frame.px(e), frame.py(v)) for e, v in zip(epochs, values))
        out.append('<polyline class="curve" points="%s" fill="none" stroke="%s" stroke-width="2"/>'
                   % (points, color))
        out.append('<text x="%.1f" y="%.1f" fill="%s">%s</text>'
                   % (frame.left + frame.width - 90, legend_top + 16 * k, color, escape(name)))
    return out


def decision_regions(x0, y0, net, scaling, xs, labels, classes, feature_names):
    """A panel of the class the network predicts over the plane of two raw features,
    with the samples (xs, raw; labels) as dots on top."""
    pad = [0.05 * (max(x[j] for x in xs) - min(x[j] for x in xs) or 1.0) for j in (0, 1)]
    low = [min(x[j] for x in xs) - pad[j] for j in (0, 1)]
    high = [max(x[j] for x in xs) + pad[j] for j in (0, 1)]
    frame = Frame(x0, y0, low[:1] + high[:1], low[1:] + high[1:])
    out = []
    cell_w, cell_h = frame.width / GRID, frame.height / GRID
    for r in range(GRID):
        for c in range(GRID):
            raw = [low[0] + (c + 0.5) / GRID * (high[0] - low[0]),
                   high[1] - (r + 0.5) / GRID * (high[1] - low[1])]
            x = [(raw[j] - scaling["mean"][j]) / scaling["std"][j] for j in (0, 1)]
            k = predicted_class(net.predict(x))
            out.append('<rect class="region" x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" '
                       'fill-opacity="0.25"/>' % (frame.left + c * cell_w, frame.top + r * cell_h,
                                                  cell_w + 0.05, cell_h + 0.05,
                                                  CLASS_COLORS[k % len(CLASS_COLORS)]))
    for x, name in zip(xs, labels):
        k = classes.index(name)
        out.append('<circle class="sample" cx="%.1f" cy="%.1f" r="3" fill="%s" stroke="#000" '
                   'stroke-width="0.5"/>' % (frame.px(x[0]), frame.py(x[1]),
                                             CLASS_COLORS[k % len(CLASS_COLORS)]))
    out += frame.axes("decision regions", feature_names[0], feature_names[1])
    for k, name in enumerate(classes):
        out.append('<text x="%.1f" y="%.1f" fill="%s">%s</text>'
                   % (frame.left + 6, frame.top + 16 + 16 * k, CLASS_COLORS[k % len(CLASS_COLORS)],
                      escape(name)))
    return out


def training_svg(history, title, error_name=None, error=None, regions=None, held_out=None, kept=None):
    """One SVG document: the loss and accuracy panels (or error_name with the per-epoch
    (training, validation, held-out) errors given as error), and optionally regions, a
    dict of decision_regions' arguments.  The history's val_loss and val_accuracy are
    the validation part's; held_out, a list of each epoch's (loss, accuracy), the
    held-out part's; kept marks the epoch whose weights were kept."""
    held_out = held_out or []
    parts = line_chart(0, 30, "loss", "mean loss",
                       [("training", TRAIN_COLOR, [h["loss"] for h in history]),
                        ("validation", VALIDATION_COLOR, [h["val_loss"] for h in history]),
                        ("held out", HELD_OUT_COLOR, [h[0] for h in held_out])], kept=kept)
    if error is None:
        parts += line_chart(PANEL_WIDTH, 30, "accuracy", "accuracy",
                            [("training", TRAIN_COLOR, [h["accuracy"] for h in history]),
                             ("validation", VALIDATION_COLOR, [h["val_accuracy"] for h in history]),
                             ("held out", HELD_OUT_COLOR, [h[1] for h in held_out])],
                            y_range=[0.0, 1.0], kept=kept)
    else:
        parts += line_chart(PANEL_WIDTH, 30, error_name, error_name,
                            [("training", TRAIN_COLOR, error[0]), ("validation", VALIDATION_COLOR, error[1]),
                             ("held out", HELD_OUT_COLOR, error[2])], kept=kept)
    panels = 2
    if regions is not None:
        parts += decision_regions(2 * PANEL_WIDTH, 30, **regions)
        panels = 3
    width, height = panels * PANEL_WIDTH, PANEL_HEIGHT + 30
    return "\n".join(
        ['<?xml version="1.0" encoding="UTF-8"?>',
         '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" '
         'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">' % (width, height, width, height),
         '<style>.title { font-size: 14px; font-weight: bold; }</style>',
         '<rect width="100%" height="100%" fill="white"/>',
         '<text class="title" x="%d" y="20" text-anchor="middle">%s</text>' % (width / 2, escape(title))]
        + parts + ["</svg>", ""])
