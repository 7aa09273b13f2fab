"""Everything Qt: app shell, screens, widgets, workers, i18n (the only package that imports Qt)."""
