"""The applicant's screens, one module per step, all big text and big targets.

`base` holds what every page shares (`Page`, `label`, `icon`); the window that stacks them is
`ui.kiosk.applicant_window`.
"""
