"""The district server of Quầy Một Cửa: receives the counters' events, keeps every dossier once with
its history, and hands back what the other counters and the district did (see ../README.md)."""

__version__ = "0.1.0"
