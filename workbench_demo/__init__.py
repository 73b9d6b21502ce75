"""Settings and services that run competency-xblock in the XBlock SDK workbench (development only)."""
