"""How a dossier was submitted (KenhThucHien in the national sync): one set of labels for the form,
the lists, the register and the reports."""

from __future__ import annotations

CHANNELS: dict[int, str] = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính công ích"}
