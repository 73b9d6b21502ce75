"""The workbench's URLs, plus the demo's phone webview of an assessment (webview.py)."""
from django.urls import include, re_path

from . import webview

urlpatterns = [
    re_path(r"^webview/(?P<scenario_id>[^/]+)/$", webview.webview, name="competency_webview"),
    re_path(r"", include("workbench.urls")),
]
