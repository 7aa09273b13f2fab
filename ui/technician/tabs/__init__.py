"""The technician console's tabs, one module each (`ui.technician.tab` holds what they share)."""
