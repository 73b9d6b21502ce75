"""The demo as a Django app: its runtime hands a block to a callable service, as Open edX's does."""
from django.apps import AppConfig


class WorkbenchDemoConfig(AppConfig):
    name = "workbench_demo"

    def ready(self):
        # Open edX's runtime (xmodule/x_module.py, DescriptorSystem.service) calls a callable
        # service with the block asking for it, which is how XBlockI18nService knows the block's
        # module. The workbench's runtime does not; this gives it the same behaviour.
        from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

        if getattr(WorkbenchRuntime.service, "passes_block", False):
            return
        plain_service = WorkbenchRuntime.service

        def service(runtime, block, service_name):
            found = plain_service(runtime, block, service_name)
            return found(block) if callable(found) else found
        service.passes_block = True
        WorkbenchRuntime.service = service
