"""Signing: pen data, ink rendering, PDF checks, stamping and PAdES signatures."""
from kiosk.signing.pdf import DocumentError, PdfInfo, Stamp, load_pdf_checked, sign_pdf, stamp_pdf
from kiosk.signing.pen import PenData, Sample, SignatureRules, Stroke, check_signature
from kiosk.signing.render import render_signature_png

__all__ = ["DocumentError", "PdfInfo", "PenData", "Sample", "SignatureRules", "Stamp", "Stroke",
           "check_signature", "load_pdf_checked", "render_signature_png", "sign_pdf", "stamp_pdf"]
