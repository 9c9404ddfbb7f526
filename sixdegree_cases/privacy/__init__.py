"""Survivor privacy: detectors and rules shared by validation and (later) the review checks."""
