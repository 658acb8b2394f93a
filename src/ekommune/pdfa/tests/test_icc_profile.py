"""The generated sRGB profile is a valid ICC v2 display profile that behaves like sRGB."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageCms

from ekommune.pdfa.icc import D50_XYZ, srgb_colorants_d50, srgb_icc_profile

# The D50-adapted sRGB colorants as published in the ICC's sRGB profiles (rXYZ, gXYZ, bXYZ).
PUBLISHED = ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141))


def _tags(profile: bytes) -> dict[bytes, bytes]:
    (count,) = struct.unpack_from(">I", profile, 128)
    tags = {}
    for i in range(count):
        signature, offset, size = struct.unpack_from(">4sII", profile, 132 + 12 * i)
        tags[signature] = profile[offset : offset + size]
    return tags


def _xyz(tag: bytes) -> tuple[float, ...]:
    assert tag[:4] == b"XYZ "
    return tuple(v / 65536 for v in struct.unpack(">3i", tag[8:20]))


def test_header_declares_a_version_2_1_rgb_display_profile() -> None:
    profile = srgb_icc_profile()
    size, _, version, device_class, space, pcs = struct.unpack_from(">I4sI4s4s4s", profile)
    assert size == len(profile)
    assert version == 0x02100000
    assert (device_class, space, pcs) == (b"mntr", b"RGB ", b"XYZ ")
    assert profile[36:40] == b"acsp"


def test_tags_hold_d50_white_published_colorants_and_srgb_curves() -> None:
    tags = _tags(srgb_icc_profile())
    assert set(tags) == {b"desc", b"cprt", b"wtpt", b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC"}
    assert _xyz(tags[b"wtpt"]) == pytest.approx(D50_XYZ, abs=1e-4)
    for tag, published in zip((b"rXYZ", b"gXYZ", b"bXYZ"), PUBLISHED, strict=True):
        assert _xyz(tags[tag]) == pytest.approx(published, abs=2e-4)
    curve = tags[b"rTRC"]
    (count,) = struct.unpack_from(">I", curve, 8)
    points = struct.unpack_from(f">{count}H", curve, 12)
    assert curve[:4] == b"curv"
    assert count == 1024
    assert points[0] == 0
    assert points[-1] == 65535
    for i in (0, 10, 100, 512, 1000):  # IEC 61966-2.1: linear below 0.04045, else a 2.4 power
        encoded = i / 1023
        linear = encoded / 12.92 if encoded <= 0.04045 else ((encoded + 0.055) / 1.055) ** 2.4
        assert points[i] / 65535 == pytest.approx(linear, abs=2e-5)
    assert tags[b"rTRC"] == tags[b"gTRC"] == tags[b"bTRC"]


def test_colorants_add_up_to_the_d50_white() -> None:
    matrix = srgb_colorants_d50()
    assert tuple(sum(row) for row in matrix) == pytest.approx(D50_XYZ, abs=1e-9)


def test_pillow_loads_it_and_colours_come_back_unchanged() -> None:
    ours = ImageCms.ImageCmsProfile(io.BytesIO(srgb_icc_profile()))
    assert ImageCms.getProfileDescription(ours).strip() == "sRGB IEC61966-2.1"
    colours = [
        (255, 0, 0),
        (0, 128, 255),
        (10, 200, 30),
        (128, 128, 128),
        (255, 255, 255),
        (0, 0, 0),
        (153, 153, 153),
    ]
    image = Image.new("RGB", (len(colours), 1))
    image.putdata(colours)
    reference = ImageCms.createProfile("sRGB")
    for source, target in ((ours, reference), (reference, ours)):
        transform = ImageCms.buildTransform(
            source, target, "RGB", "RGB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC
        )
        converted = ImageCms.applyTransform(image, transform)
        assert converted is not None
        for pixel, expected in zip(
            (converted.getpixel((i, 0)) for i in range(len(colours))), colours, strict=True
        ):
            assert max(abs(a - b) for a, b in zip(pixel, expected, strict=True)) <= 2, (pixel, expected)  # type: ignore[arg-type]


def test_lab_of_srgb_red_is_as_published() -> None:
    ours = ImageCms.ImageCmsProfile(io.BytesIO(srgb_icc_profile()))
    transform = ImageCms.buildTransform(ours, ImageCms.createProfile("LAB"), "RGB", "LAB")
    lab = ImageCms.applyTransform(Image.new("RGB", (1, 1), (255, 0, 0)), transform)
    assert lab is not None
    lightness, a, b = lab.getpixel((0, 0))  # type: ignore[misc]
    assert lightness * 100 / 255 == pytest.approx(54.3, abs=1.0)  # sRGB red: L* 54.3, a* 80.8, b* 69.9 (D50)
    assert a - 128 == pytest.approx(80.8, abs=2)
    assert b - 128 == pytest.approx(69.9, abs=2)


def test_dark_grey_follows_the_linear_toe_of_the_srgb_curve() -> None:
    ours = ImageCms.ImageCmsProfile(io.BytesIO(srgb_icc_profile()))
    transform = ImageCms.buildTransform(ours, ImageCms.createProfile("LAB"), "RGB", "LAB")
    lab = ImageCms.applyTransform(Image.new("RGB", (1, 1), (10, 10, 10)), transform)
    assert lab is not None
    lightness = lab.getpixel((0, 0))[0]  # type: ignore[index]
    assert lightness * 100 / 255 == pytest.approx(2.74, abs=0.6)  # a pure 2.2 gamma would give 0.73
