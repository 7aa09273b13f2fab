"""Everything Qt: app shell, screens, widgets, workers, i18n (the only package that imports Qt)."""
from ui.refcount_guard import install as _install_refcount_guard

_install_refcount_guard()
