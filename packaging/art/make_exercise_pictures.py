"""Generate Loosen's exercise pictures: one consistent stick figure per pose.

Angles are in degrees: 0 points down (+y), 90 points right (+x), 180 up, -90 left.
The figure faces right unless the pose is a front view.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

FIG = "#3b4a5a"
PROP = "#9fb3c8"
W = 8  # figure stroke width
PW = 4  # prop stroke width
FLOOR = 184  # y of the floor line
FAR = 0.45  # opacity of limbs on the far side

TORSO, NECK, HEAD_R = 46, 18, 10
UPPER, FORE = 27, 25
THIGH, SHIN, FOOT = 40, 38, 10


def d(angle: float, length: float) -> tuple[float, float]:
    r = math.radians(angle)
    return math.sin(r) * length, math.cos(r) * length


def add(p, v):
    return (p[0] + v[0], p[1] + v[1])


def ik(root, target, l1, l2, bend):
    """Middle joint of a two-segment limb from root to target; bend=+1/-1 picks the side."""
    dx, dy = target[0] - root[0], target[1] - root[1]
    dist = math.hypot(dx, dy)
    dist = min(dist, l1 + l2 - 0.01)
    a = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    h = math.sqrt(max(l1 * l1 - a * a, 0))
    ux, uy = dx / math.hypot(dx, dy), dy / math.hypot(dx, dy)
    mx, my = root[0] + ux * a, root[1] + uy * a
    # perpendicular (rotate u by +90deg in screen coords)
    px, py = -uy, ux
    mid = (mx + bend * px * h, my + bend * py * h)
    end = (
        root[0] + ux * (l1 + l2 if math.hypot(dx, dy) > l1 + l2 else math.hypot(dx, dy)),
        root[1] + uy * (l1 + l2 if math.hypot(dx, dy) > l1 + l2 else math.hypot(dx, dy)),
    )
    return mid, end


class Fig:
    def __init__(self):
        self.hip = (0.0, 0.0)
        self.shoulder = None
        self.head = None
        self.items = []  # (layer, kind, data, opacity)
        self.props = []  # callables(fig) -> list of items, evaluated after grounding
        self.front = False

    # -- body ------------------------------------------------------------------
    def torso(self, angle, bend=0.0, head=None, length=TORSO):
        self.shoulder = add(self.hip, d(angle, length))
        if bend:
            mx, my = (self.hip[0] + self.shoulder[0]) / 2, (self.hip[1] + self.shoulder[1]) / 2
            # control point offset perpendicular to the spine (positive = towards the back)
            px, py = d(angle + 90, bend)
            ctrl = (mx + px * 2, my + py * 2)
            self.items.append((1, "quad", (self.hip, ctrl, self.shoulder), 1.0))
        else:
            self.items.append((1, "line", (self.hip, self.shoulder), 1.0))
        ha = angle if head is None else head
        self.head = add(self.shoulder, d(ha, NECK))
        self.neck_angle = ha
        return self

    def _limb(self, pts, far):
        self.items.append((0 if far else 2, "poly", pts, FAR if far else 1.0))

    def leg(self, thigh, shin, foot=None, far=False, lt=1.0, ls=1.0, root=None):
        root = root or self.hip
        knee = add(root, d(thigh, THIGH * lt))
        ankle = add(knee, d(shin, SHIN * ls))
        pts = [root, knee, ankle]
        if foot is not None:
            pts.append(add(ankle, d(foot, FOOT)))
        self._limb(pts, far)
        return pts

    def leg_to(self, target, bend, foot=None, far=False, root=None):
        root = root or self.hip
        knee, ankle = ik(root, target, THIGH, SHIN, bend)
        pts = [root, knee, ankle]
        if foot is not None:
            pts.append(add(ankle, d(foot, FOOT)))
        self._limb(pts, far)
        return pts

    def arm(self, upper, fore, far=False, lu=1.0, lf=1.0, root=None):
        root = root or self.shoulder
        elbow = add(root, d(upper, UPPER * lu))
        hand = add(elbow, d(fore, FORE * lf))
        pts = [root, elbow, hand]
        self._limb(pts, far)
        return pts

    def arm_to(self, target, bend, far=False, root=None):
        root = root or self.shoulder
        elbow, hand = ik(root, target, UPPER, FORE, bend)
        pts = [root, elbow, hand]
        self._limb(pts, far)
        return pts

    # -- props (figure coordinates; fig.floor is known when they run) ------------
    def prop(self, fn):
        self.props.append(fn)

    # -- layout ----------------------------------------------------------------
    def figure_points(self):
        for _, kind, data, _ in self.items:
            yield from data if kind != "quad" else (data[0], data[2])

    def finish(self, name, ground=True, dy_extra=0.0, top=None, center=False):
        pts = list(self.figure_points())
        lowest = max(max(p[1] for p in pts) + W / 2, self.head[1] + HEAD_R)
        floor_fig = lowest + PW / 2 + 0.5  # figure-coordinate y of the floor line
        if center:
            ys0 = [p[1] for p in pts] + [self.head[1] - HEAD_R, self.head[1] + HEAD_R]
            dy = 100 - (min(ys0) + max(ys0)) / 2
        elif top is not None:
            dy = top - (min(min(p[1] for p in pts) - W / 2, self.head[1] - HEAD_R))
        else:
            dy = FLOOR - floor_fig + dy_extra
        self.floor = FLOOR - dy
        prop_items = []
        for fn in self.props:
            prop_items.extend(fn(self))
        # centre horizontally on figure + props
        xs = [p[0] for p in pts] + [self.head[0] - HEAD_R, self.head[0] + HEAD_R]
        for _, kind, data, _ in prop_items:
            if kind in ("line", "poly", "quad", "polyfill"):
                xs.extend(p[0] for p in data)
            elif kind == "rect":
                xs.extend([data[0], data[0] + data[2]])
            elif kind == "ellipse":
                xs.extend([data[0] - data[2], data[0] + data[2]])
        dx = 100 - (min(xs) + max(xs)) / 2
        ys = [p[1] + dy for p in pts]
        xs2 = [x + dx for x in xs]
        ok = (
            min(xs2) >= 6
            and max(xs2) <= 194
            and min(ys) - W / 2 >= 2
            and self.head[1] + dy - HEAD_R >= 2
        )
        if not ok:
            print(
                f"WARNING {name}: out of bounds x {min(xs2):.0f}..{max(xs2):.0f}, "
                f"top {min(min(ys) - 4, self.head[1] + dy - HEAD_R):.0f}",
                file=sys.stderr,
            )
        return render(self, prop_items, dx, dy, ground)


def fmt(v):
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def pstr(pts, dx, dy):
    return " ".join(f"{fmt(x + dx)},{fmt(y + dy)}" for x, y in pts)


def render(fig, prop_items, dx, dy, ground):
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
        'viewBox="0 0 200 200" width="200" height="200">',
    ]
    # props underneath the figure
    out.append(
        f'  <g fill="none" stroke="{PROP}" stroke-width="{PW}" '
        'stroke-linecap="round" stroke-linejoin="round">'
    )
    if ground:
        out.append(f'    <line x1="12" y1="{FLOOR}" x2="188" y2="{FLOOR}"/>')
    for _, kind, data, op in prop_items:
        out.append("    " + shape(kind, data, dx, dy, op))
    out.append("  </g>")
    out.append(
        f'  <g fill="none" stroke="{FIG}" stroke-width="{W}" '
        'stroke-linecap="round" stroke-linejoin="round">'
    )
    for layer in (0, 1, 2):
        for lay, kind, data, op in fig.items:
            if lay == layer:
                out.append("    " + shape(kind, data, dx, dy, op))
    out.append("  </g>")
    hx, hy = fig.head
    out.append(f'  <circle cx="{fmt(hx + dx)}" cy="{fmt(hy + dy)}" r="{HEAD_R}" fill="{FIG}"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def shape(kind, data, dx, dy, op):
    extra = "" if op == 1.0 else f' stroke-opacity="{op}"'
    if kind == "line":
        (x1, y1), (x2, y2) = data
        return (
            f'<line x1="{fmt(x1 + dx)}" y1="{fmt(y1 + dy)}" '
            f'x2="{fmt(x2 + dx)}" y2="{fmt(y2 + dy)}"{extra}/>'
        )
    if kind == "poly":
        return f'<polyline points="{pstr(data, dx, dy)}"{extra}/>'
    if kind == "quad":
        a, c, b = data
        return (
            f'<path d="M{fmt(a[0] + dx)},{fmt(a[1] + dy)} Q{fmt(c[0] + dx)},{fmt(c[1] + dy)} '
            f'{fmt(b[0] + dx)},{fmt(b[1] + dy)}"{extra}/>'
        )
    if kind == "rect":
        x, y, w, h = data
        return (
            f'<rect x="{fmt(x + dx)}" y="{fmt(y + dy)}" width="{fmt(w)}" height="{fmt(h)}" '
            f'rx="3"{extra}/>'
        )
    if kind == "ellipse":
        cx, cy, rx, ry = data
        return (
            f'<ellipse cx="{fmt(cx + dx)}" cy="{fmt(cy + dy)}" rx="{fmt(rx)}" '
            f'ry="{fmt(ry)}"{extra}/>'
        )
    raise ValueError(kind)


# -- prop helpers -----------------------------------------------------------------
def arc_arrow(cx, cy, rx, ry, a0, a1, head=True, steps=24, both=False):
    """A light elliptical arc from angle a0 to a1 (degrees, our convention) with an arrowhead."""
    pts = []
    for i in range(steps + 1):
        a = math.radians(a0 + (a1 - a0) * i / steps)
        pts.append((cx + math.sin(a) * rx, cy + math.cos(a) * ry))
    items = [(0, "poly", pts, 1.0)]
    if head:
        items.append((0, "poly", arrow_head(pts[-2], pts[-1]), 1.0))
    if both:
        items.append((0, "poly", arrow_head(pts[1], pts[0]), 1.0))
    return items


def arrow_head(p_from, p_to, size=7):
    ang = math.atan2(p_to[1] - p_from[1], p_to[0] - p_from[0])
    left = (p_to[0] - size * math.cos(ang - 0.55), p_to[1] - size * math.sin(ang - 0.55))
    right = (p_to[0] - size * math.cos(ang + 0.55), p_to[1] - size * math.sin(ang + 0.55))
    return [left, p_to, right]


def straight_arrow(a, b, both=False):
    items = [(0, "line", (a, b), 1.0), (0, "poly", arrow_head(a, b), 1.0)]
    if both:
        items.append((0, "poly", arrow_head(b, a), 1.0))
    return items


# -- poses -------------------------------------------------------------------------
POSES = {}


def pose(fn):
    POSES[fn.__name__.replace("_", "-")] = fn
    return fn


# ---- warm-up ----
@pose
def march():
    f = Fig()
    f.torso(180)
    f.leg(-4, 2, 90, far=True)
    f.arm(30, 120, far=True)
    f.leg(70, 2, 80)
    f.arm(-30, 10)
    return f.finish("march")


@pose
def leg_swing_front():
    f = Fig()
    f.torso(180)
    f.leg(0, 0, 90, far=True)
    f.arm(-8, 5, far=True)
    f.arm(20, 8)
    f.leg(52, 35, 100)
    f.prop(lambda g: arc_arrow(g.hip[0], g.hip[1], 92, 92, -42, 64, both=True))
    return f.finish("leg-swing-front")


@pose
def leg_swing_side():
    f = Fig()
    f.front = True
    f.torso(180)
    f.leg(8, 0, 90)
    f.leg(-34, -34, -90)
    f.arm(-40, -20)
    f.arm(40, 20)
    f.prop(lambda g: arc_arrow(g.hip[0], g.hip[1], 88, 88, -48, 30, both=True))
    return f.finish("leg-swing-side")


@pose
def hip_circles():
    f = Fig()
    f.front = True
    f.torso(180)
    f.leg(-12, -6, -90)
    f.leg(12, 6, 90)
    f.arm_to(add(f.hip, (-12, -6)), 1)
    f.arm_to(add(f.hip, (12, -6)), -1)
    f.prop(lambda g: arc_arrow(g.hip[0], g.hip[1] + 2, 36, 11, -140, 180))
    return f.finish("hip-circles")


@pose
def torso_twist():
    f = Fig()
    f.front = True
    f.torso(180)
    f.leg(-14, -6, -90)
    f.leg(14, 6, 90)
    f.arm(90, 90)  # this arm swings out to the side
    f.arm(-90, -90, lu=0.45, lf=0.45)  # the other points away, so it looks short
    sh = f.shoulder
    f.prop(lambda g: arc_arrow(sh[0], sh[1] + 26, 34, 9, -60, 215))
    return f.finish("torso-twist")


@pose
def arm_circles():
    f = Fig()
    f.front = True
    f.torso(180)
    f.leg(-10, -5, -90)
    f.leg(10, 5, 90)
    l = f.arm(-90, -90)
    r = f.arm(90, 90)

    def props(g):
        items = []
        items += arc_arrow(l[2][0], l[2][1], 13, 13, 0, 290)
        items += arc_arrow(r[2][0], r[2][1], 13, 13, 0, -290)
        return items

    f.prop(props)
    return f.finish("arm-circles")


@pose
def walking_lunge():
    f = Fig()
    f.torso(180)
    f.leg(-28, -80, -20, far=True)  # back leg, knee just above the floor
    f.arm(35, 100, far=True)
    f.leg(70, -4, 90)
    f.arm(-30, 5)
    hip = f.hip
    f.prop(lambda g: straight_arrow((hip[0] + 34, hip[1] - 44), (hip[0] + 64, hip[1] - 44)))
    return f.finish("walking-lunge")


@pose
def bodyweight_squat():
    f = Fig()
    f.torso(142)
    f.leg(80, -22, 90, far=True)
    f.leg(80, -22, 90)
    f.arm(95, 95, far=True)
    f.arm(95, 95)
    return f.finish("bodyweight-squat")


@pose
def high_knees():
    f = Fig()
    f.torso(175)
    f.leg(-10, -8, 30, far=True)  # pushing leg, on the toes
    f.arm(45, 160, far=True)
    f.leg(100, -5, 40)
    f.arm(-45, 30)
    return f.finish("high-knees")


# ---- cooldown ----
def wall(x):
    return lambda g: [(0, "line", ((x, g.floor - 150), (x, g.floor)), 1.0)]


@pose
def calf_stretch_straight():
    f = Fig()
    f.torso(150)
    f.leg(28, -6, 90, far=True)  # front leg, bent
    f.leg(-38, -38, 90)  # back leg straight, heel down
    hand = add(f.shoulder, (44, -14))
    f.arm_to(hand, 1, far=True)
    f.arm_to(hand, 1)
    f.prop(wall(hand[0] + 7))
    return f.finish("calf-stretch-straight")


@pose
def calf_stretch_bent():
    f = Fig()
    f.torso(160)
    f.leg(35, -10, 90, far=True)
    f.leg(2, -40, 90)  # back knee bent, heel down
    hand = add(f.shoulder, (40, -10))
    f.arm_to(hand, 1, far=True)
    f.arm_to(hand, 1)
    f.prop(wall(hand[0] + 7))
    return f.finish("calf-stretch-bent")


@pose
def hamstring_raised_leg():
    f = Fig()
    f.torso(125)
    f.leg(0, 0, 90, far=True)
    leg = f.leg(72, 80, 165)
    knee = leg[1]
    f.arm_to(add(knee, (-4, -5)), -1, far=True)
    f.arm_to(add(knee, (2, -5)), -1)

    def box(g):
        heel = leg[2]
        top = heel[1] + W / 2 + PW / 2
        return [(0, "rect", (heel[0] - 22, top, 46, g.floor - top), 1.0)]

    f.prop(box)
    return f.finish("hamstring-raised-leg")


@pose
def quad_stretch():
    f = Fig()
    f.torso(180)
    f.leg(0, 0, 90, far=True)
    f.arm(100, 92, far=True)
    leg = f.leg(-6, -160, -160)
    f.arm_to(add(leg[2], (0, 0)), 1)
    return f.finish("quad-stretch")


@pose
def hip_flexor_lunge():
    f = Fig()
    f.torso(184)
    front = f.leg(82, -4, 90, far=True)
    f.leg(-22, -90, -95)  # back knee down, shin along the floor
    f.arm_to(add(f.hip, (14, -4)), -1, far=True)
    f.arm_to(add(f.hip, (10, -4)), -1)
    return f.finish("hip-flexor-lunge")


@pose
def figure_four():
    # Seen from above, lying on the back on a mat: the legs make a "4".
    f = Fig()
    f.torso(180)
    knee = add(f.hip, (-4, 28))
    f._limb([f.hip, knee, add(knee, (-1, 26)), add(knee, (-1, 34))], False)  # knee up, foot down
    k2 = add(f.hip, (36, 20))
    f._limb([f.hip, k2, add(knee, (2, 2))], False)  # crossed leg: knee out, ankle on the knee
    f.arm(-30, -10, far=True)
    f.arm(38, 20, far=True)

    def mat(g):
        return [(0, "rect", (g.hip[0] - 50, g.head[1] - 24, 110, 142), 1.0)]

    f.prop(mat)
    return f.finish("figure-four", ground=False, center=True)


@pose
def knees_to_chest():
    f = Fig()
    f.torso(-90, head=-112)
    f.leg(-138, 96, 150, far=True)
    leg = f.leg(-144, 96, 150)
    f.arm_to(add(leg[1], (6, -2)), -1)
    return f.finish("knees-to-chest")


@pose
def toe_touch():
    f = Fig()
    f.torso(80)
    f.leg(12, -4, 90, far=True)
    f.leg(12, -4, 90)
    f.arm(-4, -2, far=True)
    f.arm(0, 0)
    return f.finish("toe-touch")


# ---- squat and fold ----
@pose
def deep_squat():
    f = Fig()
    f.torso(154)
    f.leg(112, -40, 90, far=True, root=add(f.hip, (3, 0)))
    f.arm(86, 86, far=True)
    f.leg(112, -40, 90)
    f.arm(90, 90)
    return f.finish("deep-squat")


@pose
def forward_fold():
    f = Fig()
    f.torso(40, bend=7, head=22)
    f.leg(8, -6, 90, far=True)
    f.leg(10, -6, 90)
    f.arm(-2, 0, far=True)
    f.arm(4, 2)
    return f.finish("forward-fold")


# ---- core and hips ----
@pose
def front_plank():
    f = Fig()
    f.torso(100.5, head=102)
    f.arm(0, 90, far=True)
    f.arm(0, 90)
    f.leg(-79.5, -79.5, -5, far=True)
    f.leg(-79.5, -79.5, -5)
    return f.finish("front-plank")


@pose
def side_plank():
    f = Fig()
    f.torso(103, head=106)
    f.leg(-77, -77, -100, far=True)
    f.leg(-76, -76, -100)
    f.arm(0, 90, lf=0.6)
    f.arm(180, 180, far=False)
    return f.finish("side-plank")


@pose
def glute_bridge():
    f = Fig()
    f.torso(-65, head=-104)
    f.leg(115, -17, 90, far=True)
    f.leg(115, -17, 90)
    f.arm(84, 90)
    return f.finish("glute-bridge")


@pose
def lunge_knee_touch():
    f = Fig()
    f.torso(180)
    f.leg(80, -2, 90, far=True)
    f.leg(-14, -62, 0)  # back knee touching, toes tucked
    f.arm_to(add(f.hip, (12, -4)), -1, far=True)
    f.arm_to(add(f.hip, (8, -4)), -1)
    hip = f.hip
    f.prop(lambda g: straight_arrow((hip[0] - 34, hip[1] + 8), (hip[0] - 34, hip[1] - 32)))
    return f.finish("lunge-knee-touch")


@pose
def dead_bug():
    f = Fig()
    f.torso(-90, head=-112)
    f.arm(180, 180, far=True)
    f.leg(180, 90, far=True)
    f.leg(100, 97)
    f.arm(-152, -152)
    return f.finish("dead-bug")


@pose
def bird_dog():
    f = Fig()
    f.torso(104, head=124)
    f.arm(0, 0, far=True)
    f.leg(0, -90, -90, far=True)
    f.arm(91, 91)
    f.leg(-98, -98, -100)
    return f.finish("bird-dog")


# ---- hip flexors and hamstrings ----
@pose
def kneeling_quad_stretch():
    f = Fig()
    f.torso(182)
    f.leg(82, -4, 90, far=True)
    leg = f.leg(-22, -150, 90)
    f.arm_to(add(f.hip, (14, -4)), -1, far=True)
    f.arm_to(add(leg[2], (0, 0)), 1)
    return f.finish("kneeling-quad-stretch")


@pose
def towel_hamstring():
    f = Fig()
    f.torso(-90, head=-112)
    f.leg(90, 90, 170, far=True)
    leg = f.leg(158, 158, 70)
    sole = add(leg[2], d(70, 3))
    hand = add(f.hip, d(160, 44))
    hand = (hand[0] - 10, hand[1] - 4)
    f.arm_to(hand, 1, far=True)
    f.arm_to(hand, 1)
    f.prop(lambda g: [(0, "poly", [hand, add(leg[2], (4, -8)), add(leg[2], (8, 2)), hand], 1.0)])
    return f.finish("towel-hamstring")


@pose
def standing_hamstring():
    f = Fig()
    f.torso(135)
    f.leg(26, -22, 90, far=True)  # back leg, knee bent
    f.leg(34, 34, 160)  # front leg straight, heel down, toes up
    f.arm_to(add(f.hip, (14, 12)), -1, far=True)
    f.arm_to(add(f.hip, (18, 14)), -1)
    return f.finish("standing-hamstring")


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, fn in POSES.items():
        (out / f"{name}.svg").write_text(fn())
    print(f"{len(POSES)} pictures in {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out")
