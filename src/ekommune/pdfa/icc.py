"""An sRGB display profile (ICC.1 version 2.1), computed from the published sRGB numbers.

PDF/A needs an output intent with an embedded ICC profile for the device colour space a file
uses (here DeviceRGB only). Rather than shipping someone else's profile file, the profile is
built here from IEC 61966-2.1: the primaries' and D65 white point's chromaticities, adapted to the
ICC's D50 connection space with the Bradford transform, and the sRGB transfer function sampled
into a 1024-entry 'curv'. It is built once per process (a few milliseconds).
"""

from __future__ import annotations

import struct
from functools import cache

Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]
Vector = tuple[float, float, float]

SRGB_PRIMARIES = ((0.64, 0.33), (0.30, 0.60), (0.15, 0.06))
"""x, y chromaticities of the red, green and blue primaries (IEC 61966-2.1)."""
D65_XY = (0.3127, 0.3290)
D50_XYZ: Vector = (0.9642, 1.0, 0.8249)
"""The ICC profile connection space illuminant (ICC.1 §7.2.16)."""
BRADFORD: Matrix = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))
CURVE_POINTS = 1024
DESCRIPTION = "sRGB IEC61966-2.1"
COPYRIGHT = "No copyright, use freely"


def _mul(a: Matrix, b: Matrix) -> Matrix:
    def cell(i: int, j: int) -> float:
        return a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j]

    return (
        (cell(0, 0), cell(0, 1), cell(0, 2)),
        (cell(1, 0), cell(1, 1), cell(1, 2)),
        (cell(2, 0), cell(2, 1), cell(2, 2)),
    )


def _apply(m: Matrix, v: Vector) -> Vector:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _inverse(m: Matrix) -> Matrix:
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return (
        ((e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det),
        ((f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det),
        ((d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det),
    )


def _xyz(x: float, y: float) -> Vector:
    return (x / y, 1.0, (1.0 - x - y) / y)


def srgb_colorants_d50() -> Matrix:
    """The RGB→XYZ matrix of sRGB, chromatically adapted (Bradford) from D65 to D50; columns r, g, b."""
    columns = [_xyz(x, y) for x, y in SRGB_PRIMARIES]
    primaries: Matrix = (
        (columns[0][0], columns[1][0], columns[2][0]),
        (columns[0][1], columns[1][1], columns[2][1]),
        (columns[0][2], columns[1][2], columns[2][2]),
    )
    white = _xyz(*D65_XY)
    scale = _apply(_inverse(primaries), white)
    rgb_to_xyz: Matrix = (
        (primaries[0][0] * scale[0], primaries[0][1] * scale[1], primaries[0][2] * scale[2]),
        (primaries[1][0] * scale[0], primaries[1][1] * scale[1], primaries[1][2] * scale[2]),
        (primaries[2][0] * scale[0], primaries[2][1] * scale[1], primaries[2][2] * scale[2]),
    )
    source, target = _apply(BRADFORD, white), _apply(BRADFORD, D50_XYZ)
    gain: Matrix = (
        (target[0] / source[0], 0, 0),
        (0, target[1] / source[1], 0),
        (0, 0, target[2] / source[2]),
    )
    adapt = _mul(_inverse(BRADFORD), _mul(gain, BRADFORD))
    return _mul(adapt, rgb_to_xyz)


def srgb_to_linear(value: float) -> float:
    """The sRGB transfer function (IEC 61966-2.1 §5.2): encoded value in 0..1 → linear light."""
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(v: Vector) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15f16(c) for c in v)


def _desc_tag(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    # textDescriptionType: ASCII, then an empty Unicode and an empty ScriptCode description.
    return (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + struct.pack(">IIHB", 0, 0, 0, 0)
        + bytes(67)
    )


def _curve_tag() -> bytes:
    n = CURVE_POINTS - 1
    points = [round(srgb_to_linear(i / n) * 65535) for i in range(CURVE_POINTS)]
    return b"curv\0\0\0\0" + struct.pack(f">I{CURVE_POINTS}H", CURVE_POINTS, *points)


@cache
def srgb_icc_profile() -> bytes:
    """The bytes of the profile (built once per process)."""
    m = srgb_colorants_d50()
    curve = _curve_tag()
    data: list[tuple[bytes, bytes]] = [
        (b"desc", _desc_tag(DESCRIPTION)),
        (b"cprt", b"text\0\0\0\0" + COPYRIGHT.encode("ascii") + b"\0"),
        (b"wtpt", _xyz_tag(D50_XYZ)),
        (b"rXYZ", _xyz_tag((m[0][0], m[1][0], m[2][0]))),
        (b"gXYZ", _xyz_tag((m[0][1], m[1][1], m[2][1]))),
        (b"bXYZ", _xyz_tag((m[0][2], m[1][2], m[2][2]))),
        (b"rTRC", curve),
        (b"gTRC", curve),  # the three curves share one copy of the data (ICC.1 §7.3.1)
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(data)
    table = [struct.pack(">I", len(data))]
    blobs: list[bytes] = []
    placed: dict[bytes, int] = {}
    for signature, blob in data:
        if blob not in placed:
            placed[blob] = offset
            padded = blob + b"\0" * (-len(blob) % 4)
            blobs.append(padded)
            offset += len(padded)
        table.append(struct.pack(">4sII", signature, placed[blob], len(blob)))
    size = offset
    header = (
        struct.pack(">I4sI4s4s4s", size, b"\0\0\0\0", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
        + struct.pack(">6H", 2026, 1, 1, 0, 0, 0)  # a fixed creation date: identical bytes every time
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8)  # platform, flags, manufacturer, model, attributes
        + struct.pack(">I", 0)  # rendering intent: perceptual
        + b"".join(_s15f16(c) for c in D50_XYZ)
        + bytes(4 + 16 + 28)  # creator, profile id (v4 only), reserved
    )
    assert len(header) == 128
    return header + b"".join(table) + b"".join(blobs)
