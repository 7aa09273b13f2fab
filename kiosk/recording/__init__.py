"""Dual recording: the A/V recorder (PyAV), its burned-in watermark and the quality check.

One fragmented H.264 + AAC MP4 per party (`Recorder`), checked afterwards by decoding it
(`check_recording`) so that the evidence states what the file really holds.
"""
from __future__ import annotations

from kiosk.recording.quality import RecordingQuality, check_recording, measure_av_offset
from kiosk.recording.recorder import Recorder, RecordingSpec
from kiosk.recording.watermark import Watermark, find_cjk_font

__all__ = ["Recorder", "RecordingQuality", "RecordingSpec", "Watermark", "check_recording", "find_cjk_font",
           "measure_av_offset"]
