"""Signing step: each document the party signs is shown with its anchor; the pen input comes
from the pad through the session's device hub, is checked, and kept as evidence."""
from __future__ import annotations

import threading

from devices.base import PadEvent, PenPoint
from kiosk.model import Document
from kiosk.session.steps.base import PartyRecord, StepEnv, StepOutcome
from kiosk.texts import QT_TRANSLATE_NOOP, fmt


def run(env: StepEnv, rec: PartyRecord) -> StepOutcome:
    from kiosk.evidence import SignatureEvidence
    from kiosk.signing import PenData, check_signature

    label = env.party_label(rec.party)
    info = env.hub.signpad_info
    width_mm, height_mm = env.hub.signpad_size_mm
    for doc, anchor in env.case.anchors_for(rec.party.party_id):
        index = doc.anchors.index(anchor)
        if anchor.kind != "signature" or (doc.doc_id, index) in rec.signed_anchors:
            continue
        env.view.show_step(label, "signing", fmt(QT_TRANSLATE_NOOP("kiosk", "请在「{title}」上签名"), title=doc.title),
                           fmt(QT_TRANSLATE_NOOP("kiosk", "第{page}页"), page=anchor.page))
        env.view.show_document(doc.doc_id, doc.title, env.documents[doc.doc_id], anchor.page, anchor.rect)
        env.view.guidance(QT_TRANSLATE_NOOP("kiosk", "请用签字笔在签字板上签写您的姓名，写完点击确认"), voice_key="sign_here")
        points = _collect_pen(env)
        pen = PenData.from_points(points, device=info.adapter, width_mm=width_mm or 100.0,
                                  height_mm=height_mm or 60.0)
        problems = check_signature(pen)
        if problems:
            return StepOutcome(False, problems[0], detail={"doc_id": doc.doc_id})
        rec.signatures.append(SignatureEvidence(doc.doc_id, index, pen))
        rec.signed_anchors.add((doc.doc_id, index))
        _keep_signed_copy(env, rec, doc)
    return StepOutcome(True, detail={"signatures": len(rec.signatures)})


def _keep_signed_copy(env: StepEnv, rec: PartyRecord, doc: Document) -> None:
    """Once every signature place of this party on `doc` is signed: the document as this party
    signed it (its handwriting and the date stamped at its places, as the package will stamp
    them), for the review. The device signature is added when the package is built."""
    from kiosk.evidence.package import now_iso, signature_stamp
    from kiosk.signing.pdf import stamp_pdf

    places = [i for i, a in enumerate(doc.anchors) if a.party_id == rec.party.party_id and a.kind == "signature"]
    if any((doc.doc_id, i) not in rec.signed_anchors for i in places):
        return
    when = now_iso()
    stamps = [signature_stamp(doc.anchors[s.anchor_index], s, when) for s in rec.signatures
              if s.doc_id == doc.doc_id and s.anchor_index in places]
    rec.signed_documents[doc.doc_id] = stamp_pdf(env.documents[doc.doc_id], stamps)


def _collect_pen(env: StepEnv) -> list[PenPoint]:
    stop = threading.Event()
    points: list[PenPoint] = []
    batch: list[tuple[float, float, float]] = []
    for item in env.hub.pen_points(stop):
        if env.cancel.is_set():
            stop.set()
            break
        if isinstance(item, PadEvent):
            if item in (PadEvent.CONFIRM, PadEvent.CANCEL):
                break
            if item is PadEvent.CLEAR:
                points.clear()
            continue
        points.append(item)
        batch.append((item.x, item.y, item.pressure if item.down else 0.0))
        if len(batch) >= 16:
            env.view.pen_points(batch)
            batch = []
    if batch:
        env.view.pen_points(batch)
    env.flow.touch()
    env.check_cancel()
    return points
