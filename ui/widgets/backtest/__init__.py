"""Back-test widgets: the column mapping of a lead file and the results (conversion, lift, calibration)."""
